/**
 * Signal quality per fixed window of 40 blocks of 50 ms (about 2 s), windows aligned to
 * absolute sample indices so that any chunking of a recording yields the same windows.
 *
 * - flat_line: almost no activity (lead off, disconnected electrode).
 * - saturation: a noticeable share of samples invalid (NaN, ±Infinity), outside the
 *   int16 µV range, or sitting at the window's extreme value for 20 ms or more of a
 *   50 ms block (ADC clipping).
 * - high_noise: the quieter 50 ms blocks of the 5–15 Hz band (25th percentile) carry
 *   energy comparable to the loudest (QRS) block. In clean ECG the QRS complexes occupy a
 *   minority of blocks and the rest are quiet, whatever the heart rate.
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
  /** Per completed block of the open window: band-pass RMS, extremes and how many samples sat on them. */
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
// Band-passed RMS of the loudest block below this (µV): no QRS anywhere in the window.
const FLAT_BLOCK_RMS_UV = 8;
// Share of a window that is invalid, or clipped flat at an extreme, to call it saturated.
const INVALID_SHARE = 0.1;
const CLIPPED_SHARE = 0.02;
// A clipped plateau lasts at least this long; shorter equal runs are quantisation.
const CLIPPING_SECONDS = 0.02;
const CLIPPED_EXTREME_SHARE = 0.3;
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

function copyState(state: SignalQualityState): SignalQualityState {
  return {
    ...state,
    blockRms: [...state.blockRms],
    blockHigh: [...state.blockHigh],
    blockHighCount: [...state.blockHighCount],
    blockLow: [...state.blockLow],
    blockLowCount: [...state.blockLowCount],
    previousIssues: [...state.previousIssues],
  };
}

/** Working form of the quality tracker; see QrsDetector for the same pattern. */
export class SignalQualityTracker {
  private readonly blockLength: number;
  private readonly clippingRun: number;
  private readonly s: SignalQualityState;
  /** Extremes of the open window so far (derived from the state). */
  private windowHigh: number;
  private windowLow: number;

  constructor(sampleRateHz: number, state: SignalQualityState) {
    this.blockLength = blockLengthFor(sampleRateHz);
    this.clippingRun = Math.max(3, Math.round(CLIPPING_SECONDS * sampleRateHz));
    this.s = copyState(state);
    this.windowHigh = Math.max(EMPTY_HIGH, state.partHigh, ...state.blockHigh);
    this.windowLow = Math.min(EMPTY_LOW, state.partLow, ...state.blockLow);
  }

  toState(): SignalQualityState {
    return copyState(this.s);
  }

  /**
   * Adds the next block of samples: `raw` (µV, already cleaned), `bandPass` (the detector's
   * 5–15 Hz output) and `invalid` (1 where the input sample was unusable). Appends the
   * windows that closed to `closed`.
   */
  process(raw: Float64Array, bandPass: Float64Array, invalid: Uint8Array, closed: QualityWindow[]): void {
    const s = this.s;
    const blockLength = this.blockLength;
    const count = raw.length;
    let anyInvalid = false;
    for (let i = 0; i < invalid.length; i++) {
      if (invalid[i] !== 0) {
        anyInvalid = true;
        break;
      }
    }
    let i = 0;
    while (i < count) {
      // One block (or the part of it in this call) per pass: sums and extremes first, then
      // how many samples sit on the extremes.
      const end = Math.min(count, i + blockLength - s.partFill);
      let energy = 0;
      let sum = 0;
      let high = EMPTY_HIGH;
      let low = EMPTY_LOW;
      for (let k = i; k < end; k++) {
        const x = raw[k]!;
        const y = bandPass[k]!;
        energy += y * y;
        sum += x;
        high = x > high ? x : high;
        low = x < low ? x : low;
      }
      let atHigh = 0;
      let atLow = 0;
      // Only samples at the window's extremes can be clipping: a block below the window's
      // maximum and above its minimum so far can never hold them, so its counts are skipped.
      if (high >= this.windowHigh || low <= this.windowLow) {
        for (let k = i; k < end; k++) {
          const x = raw[k]!;
          atHigh += x === high ? 1 : 0;
          atLow += x === low ? 1 : 0;
        }
        if (high > this.windowHigh) this.windowHigh = high;
        if (low < this.windowLow) this.windowLow = low;
      }
      if (anyInvalid) for (let k = i; k < end; k++) s.invalidCount += invalid[k]!;
      s.partEnergy += energy;
      s.sum += sum;
      if (high > s.partHigh) {
        s.partHigh = high;
        s.partHighCount = atHigh;
      } else if (high === s.partHigh) s.partHighCount += atHigh;
      if (low < s.partLow) {
        s.partLow = low;
        s.partLowCount = atLow;
      } else if (low === s.partLow) s.partLowCount += atLow;
      s.partFill += end - i;
      i = end;
      if (s.partFill === blockLength) {
        this.completeBlock(s.partFill);
        if (s.blockRms.length === BLOCKS_PER_WINDOW) closed.push(this.closeWindow(s.windowStart + BLOCKS_PER_WINDOW * blockLength));
      }
    }
  }

  /** End of recording: judge the partial window, if it holds at least one sample. */
  flush(closed: QualityWindow[]): void {
    const s = this.s;
    const fill = s.partFill;
    if (fill > 0) this.completeBlock(fill);
    if (s.blockRms.length === 0) return;
    const end = s.windowStart + (s.blockRms.length - (fill > 0 ? 1 : 0)) * this.blockLength + fill;
    closed.push(this.closeWindow(end));
  }

  private completeBlock(length: number): void {
    const s = this.s;
    s.blockRms.push(Math.sqrt(s.partEnergy / length));
    s.blockHigh.push(s.partHigh);
    s.blockHighCount.push(s.partHighCount);
    s.blockLow.push(s.partLow);
    s.blockLowCount.push(s.partLowCount);
    s.partEnergy = 0;
    s.partFill = 0;
    s.partHigh = EMPTY_HIGH;
    s.partHighCount = 0;
    s.partLow = EMPTY_LOW;
    s.partLowCount = 0;
  }

  private closeWindow(endSample: number): QualityWindow {
    const s = this.s;
    const length = endSample - s.windowStart;
    const maximum = Math.max(...s.blockHigh);
    const minimum = Math.min(...s.blockLow);
    const range = maximum - minimum;
    // Plateaus count as clipping only at an extreme far from the window's mean level: a
    // clipped QRS or a railed amplifier, not a quiet baseline that happens to be the minimum.
    const mean = s.sum / length;
    let clipped = 0;
    if (range > 0) {
      for (let b = 0; b < s.blockRms.length; b++) {
        if (maximum - mean >= CLIPPED_EXTREME_SHARE * range && s.blockHigh[b] === maximum && s.blockHighCount[b]! >= this.clippingRun) clipped += s.blockHighCount[b]!;
        if (mean - minimum >= CLIPPED_EXTREME_SHARE * range && s.blockLow[b] === minimum && s.blockLowCount[b]! >= this.clippingRun) clipped += s.blockLowCount[b]!;
      }
    }
    const sorted = blockScratch.subarray(0, s.blockRms.length);
    sorted.set(s.blockRms);
    sorted.sort();
    const loudest = sorted[sorted.length - 1] ?? 0;
    const quiet = sorted[sorted.length >> 2] ?? 0;
    // A short tail at the end of a recording says little about flatness or noise.
    const fullEnough = s.blockRms.length * 2 >= BLOCKS_PER_WINDOW;
    const issues: QualityIssue[] = [];
    if (s.invalidCount / length > INVALID_SHARE || clipped / length > CLIPPED_SHARE || (range === 0 && Math.abs(maximum) >= ABSURD_MICROVOLTS)) issues.push('saturation');
    else if (!fullEnough) {
      // Too short to judge flatness or noise alone: it shares the verdict of the window before.
      for (const issue of s.previousIssues) if (issue !== 'saturation') issues.push(issue);
    } else if (range < FLAT_RANGE_UV || loudest < FLAT_BLOCK_RMS_UV) issues.push('flat_line');
    else if (quiet > NOISE_FLOOR_UV && quiet > NOISE_QUIET_TO_PEAK * loudest) issues.push('high_noise');
    const window: QualityWindow = { startSample: s.windowStart, endSample, usable: issues.length === 0, issues };
    s.previousIssues = [...issues];
    s.windowStart = endSample;
    s.blockRms = [];
    s.blockHigh = [];
    s.blockHighCount = [];
    s.blockLow = [];
    s.blockLowCount = [];
    s.invalidCount = 0;
    s.sum = 0;
    this.windowHigh = EMPTY_HIGH;
    this.windowLow = EMPTY_LOW;
    return window;
  }
}
