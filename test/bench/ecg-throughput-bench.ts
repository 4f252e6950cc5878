import { analyzeRecording } from '../../shared/ecg/ecg-stream.ts';
import { loadWfdbChannel } from '../../shared/ecg/wfdb/wfdb-record-loader.ts';
import { mitdbRecord } from '../unit/ecg/reference-data.ts';
import { median, type BenchRow } from './bench-table.ts';

const RUNS = 5;
const WARM_UP_RUNS = 3;

/** Samples per second of the full pipeline (detection, quality, RR, rhythm, ST) on one core. */
export async function ecgThroughputBenchmark(): Promise<BenchRow[]> {
  const signal = loadWfdbChannel(mitdbRecord('106'), 0);
  // Production input is int16 µV.
  const samples = Int16Array.from(signal.microvolts, (v) => Math.round(v));
  for (let i = 0; i < WARM_UP_RUNS; i++) analyzeRecording(samples, signal.sampleRateHz);
  const rates: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    analyzeRecording(samples, signal.sampleRateHz);
    rates.push(samples.length / ((performance.now() - start) / 1000));
  }
  const rate = median(rates);
  return [
    {
      benchmark: 'throughput',
      subject: `mitdb 106, ${(samples.length / 1e6).toFixed(2)} M samples`,
      metric: `samples/s (median of ${RUNS})`,
      value: `${(rate / 1e6).toFixed(1)} M`,
      budget: '>= 20 M',
      ok: rate >= 20e6,
    },
  ];
}
