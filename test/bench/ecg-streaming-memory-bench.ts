import { analyzeChunk, createEcgStream, finishEcgStream, type EcgStreamState } from '../../shared/ecg/ecg-stream.ts';
import { seededRandom } from '../../shared/ecg/synthetic-ecg.ts';
import type { BenchRow } from './bench-table.ts';

const FS = 250;
const CHUNK_SECONDS = 30;
const HOURS = 24;
const CHECKPOINT_HOURS = [1, 6, 12, 24];

/**
 * A 24-hour 250 Hz recording streamed in 30 s chunks, the state going through JSON between
 * chunks as it does through DynamoDB. Heap is measured after a forced collection when
 * available (run with --expose-gc), and the serialised state size is tracked.
 */
export async function ecgStreamingMemoryBenchmark(): Promise<BenchRow[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const chunkLength = FS * CHUNK_SECONDS;
  const chunks = (HOURS * 3600) / CHUNK_SECONDS;
  const source = new ChunkSource(FS);
  let state: EcgStreamState = createEcgStream(FS);
  let peakHeap = 0;
  let peakRss = 0;
  let largestState = 0;
  const heapAt = new Map<number, number>();
  const baseline = measure(gc).heap;
  for (let c = 1; c <= chunks; c++) {
    const { state: next } = analyzeChunk(state, source.next(chunkLength));
    const json = JSON.stringify(next);
    largestState = Math.max(largestState, json.length);
    state = JSON.parse(json) as EcgStreamState;
    if (c % 120 === 0) {
      const m = measure(gc);
      peakHeap = Math.max(peakHeap, m.heap);
      peakRss = Math.max(peakRss, m.rss);
      const hours = (c * CHUNK_SECONDS) / 3600;
      if (CHECKPOINT_HOURS.includes(hours)) heapAt.set(hours, m.heap);
    }
  }
  const { summary } = finishEcgStream(state);
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const first = heapAt.get(1) ?? 0;
  const last = heapAt.get(HOURS) ?? 0;
  const flat = last - first < 8 * 1024 * 1024;
  return [
    {
      benchmark: 'streaming memory',
      subject: `24 h, 250 Hz, 30 s chunks (${summary.beatCount} beats)`,
      metric: 'peak heap / peak RSS',
      value: `${mb(peakHeap)} / ${mb(peakRss)}`,
    },
    {
      benchmark: 'streaming memory',
      subject: 'heap after 1 h, 6 h, 12 h, 24 h',
      metric: gc === undefined ? 'heap (no --expose-gc)' : 'heap after gc',
      value: `${CHECKPOINT_HOURS.map((h) => mb(heapAt.get(h) ?? 0)).join(', ')} (start ${mb(baseline)})`,
      budget: 'flat',
      ok: flat,
    },
    {
      benchmark: 'streaming memory',
      subject: 'state between chunks',
      metric: 'largest JSON size',
      value: `${(largestState / 1024).toFixed(1)} KB`,
      budget: '< 100 KB',
      ok: largestState < 100 * 1024,
    },
  ];
}

function measure(gc: (() => void) | undefined): { heap: number; rss: number } {
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

/**
 * Endless synthetic int16 µV ECG: a beat template at a slowly varying rate with noise,
 * generated chunk by chunk so the benchmark itself holds no recording in memory.
 */
class ChunkSource {
  private readonly fs: number;
  private readonly template: Float64Array;
  private readonly random: () => number;
  private position = 0;
  private nextBeat = 0.5;
  private readonly active: number[] = [];

  constructor(fs: number) {
    this.fs = fs;
    this.random = seededRandom(7);
    const length = Math.round(0.9 * fs);
    this.template = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const t = i / fs - 0.3;
      this.template[i] =
        150 * Math.exp(-((t + 0.16) ** 2) / 0.0008) +
        1200 * Math.exp(-(t ** 2) / 0.0002) -
        250 * Math.exp(-((t - 0.025) ** 2) / 0.000128) +
        300 * Math.exp(-((t - 0.3) ** 2) / 0.0032);
    }
  }

  next(length: number): Int16Array {
    const out = new Int16Array(length);
    const fs = this.fs;
    for (let i = 0; i < length; i++) {
      const n = this.position + i;
      if (n / fs >= this.nextBeat) {
        this.active.push(n - Math.round(0.3 * fs));
        const hour = this.nextBeat / 3600;
        this.nextBeat += 60 / (70 + 15 * Math.sin(hour) + 5 * (this.random() - 0.5));
      }
      let v = 20 * (this.random() - 0.5);
      for (const start of this.active) {
        const k = n - start;
        if (k >= 0 && k < this.template.length) v += this.template[k]!;
      }
      out[i] = Math.round(v);
    }
    while (this.active.length > 0 && this.position + length - this.active[0]! >= this.template.length) this.active.shift();
    this.position += length;
    return out;
  }
}
