import { kthSmallest } from './small-sort.ts';

/**
 * Signal quality per fixed window of 40 blocks of 50 ms (about 2 s), windows aligned to
 * absolute sample indices so that any chunking of a recording yields the same windows.
 *
 * - flat_line: almost no activity (lead off, disconnected electrode).
 * - saturation: a noticeable share of samples invalid (NaN, ±Infinity), outside the
 *   int16 µV range, or sitting at the window's extreme value for 20 ms or more of a
 *   50 ms block (ADC clipping).
 * - high_noise: the quieter 50 ms blocks (25th percentile) carry energy comparable to the
 *   loudest (QRS) block, both measured on the slope of the 5–15 Hz band, as the detector
 *   sees the signal. In clean ECG the QRS complexes occupy a minority of blocks and the rest
 *   are quiet, whatever the heart rate. On the slope, slow waves between beats (the 4–9 Hz
 *   fibrillatory waves of atrial fibrillation) weigh less than muscle noise, which is as
 *   steep as a QRS and what makes detection fail.
 */
export type QualityIssue = 'flat_line' | 'saturation' | 'high_noise';

export interface QualityWindow {
  startSample: number;
  endSample: number;
  usable: boolean;
  issues: QualityIssue[];
}

export interface SignalQualityState {
  windowStart: number;
  /** Per completed block of the open window: band-pass slope RMS, extremes and how many samples sat on them. */
  blockRms: number[];
  blockHigh: number[];
  blockHighCount: number[];
  blockLow: number[];
  blockLowCount: number[];
  /** The block being filled when the last call ended. */
  partEnergy: number;
  partFill: number;
  partHigh: number;
  partHighCount: number;
  partLow: number;
  partLowCount: number;
  invalidCount: number;
  sum: number;
  previousIssues: QualityIssue[];
}

export const BLOCKS_PER_WINDOW = 40;
const BLOCK_SECONDS = 0.05;
// Peak-to-peak below this (µV) over a whole window: nothing that could be an ECG.
const FLAT_RANGE_UV = 50;
// Slope RMS of the loudest block below this (µV, as a 10 Hz wave of that RMS reads): no QRS anywhere in the window.
const FLAT_BLOCK_RMS_UV = 8;
// Share of a window that is invalid, or clipped flat at an extreme, to call it saturated.
const INVALID_SHARE = 0.1;
const CLIPPED_SHARE = 0.02;
// A clipped plateau lasts at least this long; shorter equal runs are quantisation.
const CLIPPING_SECONDS = 0.02;
const CLIPPED_EXTREME_SHARE = 0.3;
// Slopes are scaled so that a 10 Hz wave reads its own RMS in µV.
const SLOPE_REFERENCE_HZ = 10;
// 25th-percentile block RMS above this share of the loudest block, and above an absolute
// floor so that a quiet pause (no QRS in the window) is not called noise.
const NOISE_QUIET_TO_PEAK = 0.13;
const NOISE_FLOOR_UV = 20;

/** Values at or beyond this magnitude (µV) are outside int16 microvolts: rails or garbage. */
export const ABSURD_MICROVOLTS = 32767;

// Finite sentinels for "no sample yet" (JSON has no Infinity); inputs are clamped to ±32767.
const EMPTY_LOW = 1e300;
const EMPTY_HIGH = -1e300;

export function blockLengthFor(sampleRateHz: number): number {
  return Math.max(1, Math.round(BLOCK_SECONDS * sampleRateHz));
}

export function windowLengthFor(sampleRateHz: number): number {
  return blockLengthFor(sampleRateHz) * BLOCKS_PER_WINDOW;
}

export function createSignalQualityState(): SignalQualityState {
  return {
    windowStart: 0,
    blockRms: [],
    blockHigh: [],
    blockHighCount: [],
    blockLow: [],
    blockLowCount: [],
    partEnergy: 0,
    partFill: 0,
    partHigh: EMPTY_HIGH,
    partHighCount: 0,
    partLow: EMPTY_LOW,
    partLowCount: 0,
    invalidCount: 0,
    sum: 0,
    previousIssues: [],
  };
}

const blockScratch = new Float64Array(BLOCKS_PER_WINDOW);
// Samples handed to the per-sample loop per method call (see QrsDetector.process).
const SEGMENT_LENGTH = 4096;

/** Working form of the quality tracker; see QrsDetector for the same pattern. */
export class SignalQualityTracker {
  private readonly blockLength: number;
  private readonly clippingRun: number;
  private readonly slopeScale: number;
  /** The band-pass sample before the one being added: the detector's, handed in per call. */
  private previousBandPass = 0;
  private windowStart: number;
  /** Per completed block of the open window (the first `blockCount` entries). */
  private readonly blockRms = new Float64Array(BLOCKS_PER_WINDOW);
  private readonly blockHigh = new Float64Array(BLOCKS_PER_WINDOW);
  private readonly blockHighCount = new Float64Array(BLOCKS_PER_WINDOW);
  private readonly blockLow = new Float64Array(BLOCKS_PER_WINDOW);
  private readonly blockLowCount = new Float64Array(BLOCKS_PER_WINDOW);
  private blockCount: number;
  private partEnergy: number;
  private partFill: number;
  private partHigh: number;
  private partHighCount: number;
  private partLow: number;
  private partLowCount: number;
  private invalidCount: number;
  private sum: number;
  private previousIssues: QualityIssue[];
  /** Extremes of the open window so far (derived from the state). */
  private windowHigh: number;
  private windowLow: number;

  constructor(sampleRateHz: number, state: SignalQualityState) {
    this.blockLength = blockLengthFor(sampleRateHz);
    this.clippingRun = Math.max(3, Math.round(CLIPPING_SECONDS * sampleRateHz));
    this.slopeScale = sampleRateHz / (2 * Math.PI * SLOPE_REFERENCE_HZ);
    this.windowStart = state.windowStart;
    this.blockCount = state.blockRms.length;
    this.blockRms.set(state.blockRms);
    this.blockHigh.set(state.blockHigh);
    this.blockHighCount.set(state.blockHighCount);
    this.blockLow.set(state.blockLow);
    this.blockLowCount.set(state.blockLowCount);
    this.partEnergy = state.partEnergy;
    this.partFill = state.partFill;
    this.partHigh = state.partHigh;
    this.partHighCount = state.partHighCount;
    this.partLow = state.partLow;
    this.partLowCount = state.partLowCount;
    this.invalidCount = state.invalidCount;
    this.sum = state.sum;
    this.previousIssues = [...state.previousIssues];
    this.windowHigh = Math.max(EMPTY_HIGH, state.partHigh, ...state.blockHigh);
    this.windowLow = Math.min(EMPTY_LOW, state.partLow, ...state.blockLow);
  }

  toState(): SignalQualityState {
    const blocks = this.blockCount;
    return {
      windowStart: this.windowStart,
      blockRms: Array.from(this.blockRms.subarray(0, blocks)),
      blockHigh: Array.from(this.blockHigh.subarray(0, blocks)),
      blockHighCount: Array.from(this.blockHighCount.subarray(0, blocks)),
      blockLow: Array.from(this.blockLow.subarray(0, blocks)),
      blockLowCount: Array.from(this.blockLowCount.subarray(0, blocks)),
      partEnergy: this.partEnergy,
      partFill: this.partFill,
      partHigh: this.partHigh,
      partHighCount: this.partHighCount,
      partLow: this.partLow,
      partLowCount: this.partLowCount,
      invalidCount: this.invalidCount,
      sum: this.sum,
      previousIssues: [...this.previousIssues],
    };
  }

  /**
   * Adds the next block of samples: `raw` (µV, already cleaned), `bandPass` (the detector's
   * 5–15 Hz output), `bandPassBefore` (the detector's band-pass sample just before this block,
   * for the first slope) and `invalid` (1 where the input sample was unusable; all zero when
   * `invalidCount` is 0). Appends the windows that closed to `closed`.
   */
  process(
    raw: Float64Array,
    bandPass: Float64Array,
    bandPassBefore: number,
    invalid: Uint8Array,
    invalidCount: number,
    closed: QualityWindow[],
  ): void {
    this.previousBandPass = bandPassBefore;
    const count = raw.length;
    for (let from = 0; from < count; from += SEGMENT_LENGTH) {
      this.processSegment(raw, bandPass, invalidCount > 0 ? invalid : null, from, Math.min(count, from + SEGMENT_LENGTH), closed);
    }
  }

  private processSegment(
    raw: Float64Array,
    bandPass: Float64Array,
    invalid: Uint8Array | null,
    from: number,
    to: number,
    closed: QualityWindow[],
  ): void {
    const blockLength = this.blockLength;
    let i = from;
    while (i < to) {
      // One block (or the part of it in this call) per pass: sums and extremes first, then
      // how many samples sit on the extremes.
      const end = Math.min(to, i + blockLength - this.partFill);
      this.addPart(raw, bandPass, i, end);
      if (invalid !== null) this.invalidCount += countInvalid(invalid, i, end);
      this.partFill += end - i;
      i = end;
      if (this.partFill === blockLength) {
        this.completeBlock(blockLength);
        if (this.blockCount === BLOCKS_PER_WINDOW) closed.push(this.closeWindow(this.windowStart + BLOCKS_PER_WINDOW * blockLength));
      }
    }
  }

  /** Folds samples [from, end) of one block into the open block's energy, sum and extremes. */
  private addPart(raw: Float64Array, bandPass: Float64Array, from: number, end: number): void {
    let energy = 0;
    let sum = 0;
    let high = EMPTY_HIGH;
    let low = EMPTY_LOW;
    let previous = this.previousBandPass;
    for (let k = from; k < end; k++) {
      const x = raw[k]!;
      const y = bandPass[k]!;
      const slope = y - previous;
      previous = y;
      energy += slope * slope;
      sum += x;
      high = Math.max(x, high);
      low = Math.min(x, low);
    }
    let atHigh = 0;
    let atLow = 0;
    // Only samples at the window's extremes can be clipping: a block below the window's
    // maximum and above its minimum so far can never hold them, so its counts are skipped.
    if (high >= this.windowHigh || low <= this.windowLow) {
      for (let k = from; k < end; k++) {
        const x = raw[k]!;
        atHigh += x === high ? 1 : 0;
        atLow += x === low ? 1 : 0;
      }
      if (high > this.windowHigh) this.windowHigh = high;
      if (low < this.windowLow) this.windowLow = low;
    }
    this.previousBandPass = previous;
    this.partEnergy += energy * this.slopeScale * this.slopeScale;
    this.sum += sum;
    if (high > this.partHigh) {
      this.partHigh = high;
      this.partHighCount = atHigh;
    } else if (high === this.partHigh) this.partHighCount += atHigh;
    if (low < this.partLow) {
      this.partLow = low;
      this.partLowCount = atLow;
    } else if (low === this.partLow) this.partLowCount += atLow;
  }

  /** End of recording: judge the partial window, if it holds at least one sample. */
  flush(closed: QualityWindow[]): void {
    const fill = this.partFill;
    if (fill > 0) this.completeBlock(fill);
    if (this.blockCount === 0) return;
    const end = this.windowStart + (this.blockCount - (fill > 0 ? 1 : 0)) * this.blockLength + fill;
    closed.push(this.closeWindow(end));
  }

  private completeBlock(length: number): void {
    const b = this.blockCount++;
    this.blockRms[b] = Math.sqrt(this.partEnergy / length);
    this.blockHigh[b] = this.partHigh;
    this.blockHighCount[b] = this.partHighCount;
    this.blockLow[b] = this.partLow;
    this.blockLowCount[b] = this.partLowCount;
    this.partEnergy = 0;
    this.partFill = 0;
    this.partHigh = EMPTY_HIGH;
    this.partHighCount = 0;
    this.partLow = EMPTY_LOW;
    this.partLowCount = 0;
  }

  private closeWindow(endSample: number): QualityWindow {
    const blocks = this.blockCount;
    const length = endSample - this.windowStart;
    let maximum = Number.NEGATIVE_INFINITY;
    let minimum = Number.POSITIVE_INFINITY;
    for (let b = 0; b < blocks; b++) {
      maximum = Math.max(maximum, this.blockHigh[b]!);
      minimum = Math.min(minimum, this.blockLow[b]!);
    }
    const range = maximum - minimum;
    // Plateaus count as clipping only at an extreme far from the window's mean level: a
    // clipped QRS or a railed amplifier, not a quiet baseline that happens to be the minimum.
    const mean = this.sum / length;
    let clipped = 0;
    if (range > 0) {
      const highFar = maximum - mean >= CLIPPED_EXTREME_SHARE * range;
      const lowFar = mean - minimum >= CLIPPED_EXTREME_SHARE * range;
      for (let b = 0; b < blocks; b++) {
        if (highFar && this.blockHigh[b] === maximum && this.blockHighCount[b]! >= this.clippingRun) clipped += this.blockHighCount[b]!;
        if (lowFar && this.blockLow[b] === minimum && this.blockLowCount[b]! >= this.clippingRun) clipped += this.blockLowCount[b]!;
      }
    }
    // Only the loudest block and the quarter-rank one are needed, not a full sort.
    let loudest = 0;
    for (let b = 0; b < blocks; b++) loudest = Math.max(loudest, this.blockRms[b]!);
    const quiet = kthSmallest(this.blockRms, blocks, blocks >> 2, blockScratch);
    // A short tail at the end of a recording says little about flatness or noise.
    const fullEnough = blocks * 2 >= BLOCKS_PER_WINDOW;
    const issues: QualityIssue[] = [];
    if (
      this.invalidCount / length > INVALID_SHARE ||
      clipped / length > CLIPPED_SHARE ||
      (range === 0 && Math.abs(maximum) >= ABSURD_MICROVOLTS)
    )
      issues.push('saturation');
    else if (!fullEnough) {
      // Too short to judge flatness or noise alone: it shares the verdict of the window before.
      for (const issue of this.previousIssues) if (issue !== 'saturation') issues.push(issue);
    } else if (range < FLAT_RANGE_UV || loudest < FLAT_BLOCK_RMS_UV) issues.push('flat_line');
    else if (quiet > NOISE_FLOOR_UV && quiet > NOISE_QUIET_TO_PEAK * loudest) issues.push('high_noise');
    const window: QualityWindow = { startSample: this.windowStart, endSample, usable: issues.length === 0, issues };
    this.previousIssues = [...issues];
    this.windowStart = endSample;
    this.blockCount = 0;
    this.invalidCount = 0;
    this.sum = 0;
    this.windowHigh = EMPTY_HIGH;
    this.windowLow = EMPTY_LOW;
    return window;
  }
}

function countInvalid(invalid: Uint8Array, from: number, end: number): number {
  let count = 0;
  for (let k = from; k < end; k++) count += invalid[k]!;
  return count;
}
