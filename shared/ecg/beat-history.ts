import { MEDIAN_BEAT_COUNT, MIN_MEDIAN_BEATS, measureStDeviation, medianBeat, templateGeometry, type BeatTemplateGeometry } from './st-segment.ts';

/**
 * The signal around recent beats, for the median beat and its ST measurement. Keeps the
 * last few seconds of signal in ~4 ms bins (beats are released up to a few seconds after
 * they occur) and the templates of the last nine usable, non-premature beats.
 */
export interface BeatHistoryState {
  binSum: number;
  binFill: number;
  /** Bin means ending just before bin `ringEndBin`. */
  ring: number[];
  ringEndBin: number;
  templates: number[][];
  templateBeats: number[];
}

const RING_SECONDS = 5;

export function createBeatHistoryState(sampleRateHz: number): BeatHistoryState {
  void sampleRateHz;
  return { binSum: 0, binFill: 0, ring: [], ringEndBin: 0, templates: [], templateBeats: [] };
}

export class BeatHistory {
  private readonly geometry: BeatTemplateGeometry;
  private readonly ringBins: number;
  private binSum: number;
  private binFill: number;
  private extended: Float64Array;
  private extendedStartBin: number;
  private readonly templates: number[][];
  private readonly templateBeats: number[];
  private added = 0;

  constructor(sampleRateHz: number, state: BeatHistoryState) {
    this.geometry = templateGeometry(sampleRateHz);
    this.ringBins = Math.ceil(RING_SECONDS / this.geometry.binSeconds);
    this.binSum = state.binSum;
    this.binFill = state.binFill;
    this.extended = Float64Array.from(state.ring);
    this.extendedStartBin = state.ringEndBin - state.ring.length;
    this.templates = state.templates.map((t) => [...t]);
    this.templateBeats = [...state.templateBeats];
  }

  toState(): BeatHistoryState {
    const keep = Math.min(this.ringBins, this.extended.length);
    const ring = Array.from(this.extended.subarray(this.extended.length - keep), (v) => Math.round(v * 10) / 10 + 0);
    return {
      binSum: this.binSum,
      binFill: this.binFill,
      ring,
      ringEndBin: this.extendedStartBin + this.extended.length,
      templates: this.templates.map((t) => [...t]),
      templateBeats: [...this.templateBeats],
    };
  }

  /** Adds the next samples (µV), binned; the partial last bin is carried to the next call. */
  append(values: Float64Array): void {
    const binLength = this.geometry.binLength;
    const newBins = Math.floor((this.binFill + values.length) / binLength);
    const keep = Math.min(this.ringBins, this.extended.length);
    const extended = new Float64Array(keep + newBins);
    extended.set(this.extended.subarray(this.extended.length - keep));
    const startBin = this.extendedStartBin + this.extended.length - keep;
    let sum = this.binSum;
    let fill = this.binFill;
    let out = keep;
    for (let i = 0; i < values.length; i++) {
      sum += values[i]!;
      if (++fill === binLength) {
        extended[out++] = sum / binLength;
        sum = 0;
        fill = 0;
      }
    }
    this.binSum = sum;
    this.binFill = fill;
    this.extended = extended;
    this.extendedStartBin = startBin;
  }

  /** Stores the template of a usable beat if its surroundings are still at hand. */
  addBeat(beat: number): void {
    const { binLength, preBins, postBins } = this.geometry;
    const center = Math.floor(beat / binLength);
    const from = center - preBins - this.extendedStartBin;
    const to = center + postBins - this.extendedStartBin;
    if (from < 0 || to >= this.extended.length) return;
    this.templates.push(Array.from(this.extended.subarray(from, to + 1), (v) => Math.round(v * 10) / 10 + 0));
    this.templateBeats.push(beat);
    if (this.templates.length > MEDIAN_BEAT_COUNT) {
      this.templates.shift();
      this.templateBeats.shift();
    }
    this.added += 1;
  }

  /** ST deviation of the median of the stored templates, when this call contributed a beat to it. */
  measureMedianBeat(): { deviationMv: number; firstBeat: number; lastBeat: number } | undefined {
    if (this.added === 0 || this.templates.length < MIN_MEDIAN_BEATS) return undefined;
    const deviationMv = measureStDeviation(medianBeat(this.templates), this.geometry);
    if (deviationMv === undefined) return undefined;
    return { deviationMv, firstBeat: this.templateBeats[0]!, lastBeat: this.templateBeats[this.templateBeats.length - 1]! };
  }
}
