import { analyzeRecording } from '../../shared/ecg/ecg-stream.ts';
import { matchBeats, matchToleranceSamples } from '../../shared/ecg/beat-matching.ts';
import { loadWfdbBeatSamples, loadWfdbChannel } from '../../shared/ecg/wfdb/wfdb-record-loader.ts';
import { FIXTURE_MITDB_RECORDS, fixtureMitdbRecord } from '../support/ecg-records.ts';
import { percent, type BenchRow } from './bench-table.ts';

/** Beat detection Se and +P on the MIT-BIH records in the repository (MLII), per record and pooled. */
export async function ecgDetectionBenchmark(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const name of FIXTURE_MITDB_RECORDS) {
    const record = fixtureMitdbRecord(name);
    const signal = loadWfdbChannel(record, 0);
    const { beats } = analyzeRecording(signal.microvolts, signal.sampleRateHz);
    const match = matchBeats(loadWfdbBeatSamples(record), beats, matchToleranceSamples(signal.sampleRateHz));
    tp += match.truePositives;
    fp += match.falsePositives;
    fn += match.falseNegatives;
    const counts = `(TP ${match.truePositives} FP ${match.falsePositives} FN ${match.falseNegatives})`;
    rows.push({
      benchmark: 'QRS detection',
      subject: `mitdb ${name}`,
      metric: 'Se',
      value: `${percent(match.sensitivity)} ${counts}`,
      budget: '>= 99%',
      ok: match.sensitivity >= 0.99,
    });
    rows.push({
      benchmark: 'QRS detection',
      subject: `mitdb ${name}`,
      metric: '+P',
      value: percent(match.positivePredictivity),
      budget: '>= 99%',
      ok: match.positivePredictivity >= 0.99,
    });
  }
  const se = tp / (tp + fn);
  const ppv = tp / (tp + fp);
  rows.push({
    benchmark: 'QRS detection',
    subject: 'pooled',
    metric: 'Se',
    value: `${percent(se)} (TP ${tp} FP ${fp} FN ${fn})`,
    budget: '>= 99.7%',
    ok: se >= 0.997,
  });
  rows.push({ benchmark: 'QRS detection', subject: 'pooled', metric: '+P', value: percent(ppv), budget: '>= 99.7%', ok: ppv >= 0.997 });
  return rows;
}
