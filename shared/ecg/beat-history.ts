import {
  MEDIAN_BEAT_COUNT,
  MIN_MEDIAN_BEATS,
  measureStDeviation,
  medianBeat,
  templateGeometry,
  type BeatTemplateGeometry,
} from './st-segment.ts';

/**
 * The signal around recent beats, for the median beat and its ST measurement. Between calls
 * it keeps the last few seconds of signal in ~4 ms bins (beats are released up to a few
 * seconds after they occur) and the templates of the last nine usable, non-premature beats.
 * Within a call it reads the chunk in place: only the bins that are needed are computed.
 */
export interface BeatHistoryState {
  /** Sum and count of the samples of the bin still being filled at the end of the last call. */
  binSum: number;
  binFill: number;
  /** Bin means ending just before bin `ringEndBin`. */
  ring: number[];
  ringEndBin: number;
  templates: number[][];
  templateBeats: number[];
}

const RING_SECONDS = 5;

export function createBeatHistoryState(): BeatHistoryState {
  return { binSum: 0, binFill: 0, ring: [], ringEndBin: 0, templates: [], templateBeats: [] };
}

export class BeatHistory {
  private readonly geometry: BeatTemplateGeometry;
  private readonly ringBins: number;
  private readonly carrySum: number;
  private readonly ring: Float64Array;
  private readonly ringEndBin: number;
  private chunk: Float64Array = new Float64Array(0);
  private readonly chunkStart: number;
  private readonly templates: number[][];
  private readonly templateBeats: number[];
  private added = 0;
  /** Beats noted in this call whose templates are not cut yet. */
  private readonly pendingBeats: number[] = [];

  constructor(sampleRateHz: number, state: BeatHistoryState) {
    this.geometry = templateGeometry(sampleRateHz);
    this.ringBins = Math.ceil(RING_SECONDS / this.geometry.binSeconds);
    this.carrySum = state.binSum;
    this.ring = Float64Array.from(state.ring);
    this.ringEndBin = state.ringEndBin;
    this.chunkStart = state.ringEndBin * this.geometry.binLength + state.binFill;
    this.templates = state.templates.map((t) => [...t]);
    this.templateBeats = [...state.templateBeats];
  }

  /** The next samples (µV); read in place until `toState`. */
  append(values: Float64Array): void {
    this.chunk = values;
  }

  toState(): BeatHistoryState {
    this.materialize();
    const binLength = this.geometry.binLength;
    const end = this.chunkStart + this.chunk.length;
    const endBin = Math.floor(end / binLength);
    const firstBin = Math.max(this.ringEndBin - this.ring.length, endBin - this.ringBins);
    const ring: number[] = [];
    for (let b = firstBin; b < endBin; b++) ring.push(Math.round(this.binAt(b) * 10) / 10 + 0);
    let binSum = endBin === this.ringEndBin ? this.carrySum : 0;
    for (let s = Math.max(this.chunkStart, endBin * binLength); s < end; s++) binSum += this.chunk[s - this.chunkStart]!;
    return {
      binSum,
      binFill: end - endBin * binLength,
      ring,
      ringEndBin: endBin,
      templates: this.templates.map((t) => [...t]),
      templateBeats: [...this.templateBeats],
    };
  }

  /** Notes a usable beat for the median beat, if its surroundings are at hand. */
  addBeat(beat: number): void {
    const { binLength, preBins, postBins } = this.geometry;
    const center = Math.floor(beat / binLength);
    const available =
      center - preBins >= this.ringEndBin - this.ring.length && (center + postBins + 1) * binLength <= this.chunkStart + this.chunk.length;
    if (!available) return;
    this.pendingBeats.push(beat);
    // Only the last few can end up in the median beat.
    if (this.pendingBeats.length > MEDIAN_BEAT_COUNT) this.pendingBeats.shift();
    this.added += 1;
  }

  /** ST deviation of the median of the stored templates, when this call contributed a beat to it. */
  measureMedianBeat(): { deviationMv: number; firstBeat: number; lastBeat: number } | undefined {
    this.materialize();
    if (this.added === 0 || this.templates.length < MIN_MEDIAN_BEATS) return undefined;
    const deviationMv = measureStDeviation(medianBeat(this.templates), this.geometry);
    if (deviationMv === undefined) return undefined;
    return { deviationMv, firstBeat: this.templateBeats[0]!, lastBeat: this.templateBeats[this.templateBeats.length - 1]! };
  }

  private materialize(): void {
    const { binLength, preBins, postBins } = this.geometry;
    for (const beat of this.pendingBeats) {
      const first = Math.floor(beat / binLength) - preBins;
      const template: number[] = [];
      for (let b = first; b <= first + preBins + postBins; b++) template.push(Math.round(this.binAt(b) * 10) / 10 + 0);
      this.templates.push(template);
      this.templateBeats.push(beat);
    }
    this.pendingBeats.length = 0;
    const excess = this.templates.length - MEDIAN_BEAT_COUNT;
    if (excess > 0) {
      this.templates.splice(0, excess);
      this.templateBeats.splice(0, excess);
    }
  }

  /** Mean of bin `bin`: from the ring if it closed before this call, else from the chunk (and the carried partial bin). */
  private binAt(bin: number): number {
    if (bin < this.ringEndBin) return this.ring[bin - (this.ringEndBin - this.ring.length)] ?? 0;
    const binLength = this.geometry.binLength;
    let sum = bin === this.ringEndBin ? this.carrySum : 0;
    const from = Math.max(bin * binLength, this.chunkStart);
    for (let s = from; s < (bin + 1) * binLength; s++) sum += this.chunk[s - this.chunkStart] ?? 0;
    return sum / binLength;
  }
}
