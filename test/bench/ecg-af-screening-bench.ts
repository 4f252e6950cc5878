import { readFileSync } from 'node:fs';
import { analyzeRecording } from '../../shared/ecg/ecg-stream.ts';
import { loadWfdbChannel } from '../../shared/ecg/wfdb/wfdb-record-loader.ts';
import { PUBLIC_ECG_SOURCES, SHARED_ECG_DIR, sharedEcgFolder } from '../support/ecg-records.ts';
import { percent, type BenchRow } from './bench-table.ts';

/** AF screening on the shared CinC 2017 clips beside the repository: AF positive; normal and other rhythms negative; noisy clips left out. */
export async function ecgAfScreeningBenchmark(): Promise<BenchRow[]> {
  const folder = sharedEcgFolder('cinc2017');
  if (folder === undefined) {
    return [
      {
        benchmark: 'AF screening',
        subject: 'cinc2017',
        metric: 'skipped',
        value: `the clips are read from ${SHARED_ECG_DIR}cinc2017, which is missing; public source: ${PUBLIC_ECG_SOURCES}`,
      },
    ];
  }
  const labels = readFileSync(`${folder}labels.csv`, 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(',') as [string, string]);
  let tp = 0,
    fn = 0,
    tn = 0,
    fp = 0,
    noisyAsNoisy = 0,
    noisyTotal = 0;
  for (const [name, label] of labels) {
    const signal = loadWfdbChannel(`${folder}${name}`, 0);
    const { rhythm } = analyzeRecording(signal.microvolts, signal.sampleRateHz).summary;
    if (label === '~') {
      noisyTotal++;
      if (rhythm === 'noisy') noisyAsNoisy++;
    } else if (label === 'A') {
      if (rhythm === 'af') tp++;
      else fn++;
    } else if (rhythm === 'af') fp++;
    else tn++;
  }
  const sensitivity = tp / (tp + fn);
  const specificity = tn / (tn + fp);
  return [
    {
      benchmark: 'AF screening',
      subject: `cinc2017 (${tp + fn} AF)`,
      metric: 'sensitivity',
      value: `${percent(sensitivity)} (${tp}/${tp + fn})`,
      budget: '>= 85%',
      ok: sensitivity >= 0.85,
    },
    {
      benchmark: 'AF screening',
      subject: `cinc2017 (${tn + fp} N+O)`,
      metric: 'specificity',
      value: `${percent(specificity)} (${tn}/${tn + fp})`,
      budget: '>= 90%',
      ok: specificity >= 0.9,
    },
    {
      benchmark: 'AF screening',
      subject: `cinc2017 (${noisyTotal} noisy)`,
      metric: 'called noisy',
      value: `${noisyAsNoisy}/${noisyTotal}`,
    },
  ];
}
