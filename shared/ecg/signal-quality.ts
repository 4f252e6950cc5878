/**
 * Signal quality per fixed window of 40 blocks of 50 ms (about 2 s), windows aligned to
 * absolute sample indices so that any chunking of a recording yields the same windows.
 *
 * - flat_line: almost no activity (lead off, disconnected electrode).
 * - saturation: a noticeable share of samples invalid (NaN, ±Infinity), outside the
 *   int16 µV range, or stuck at the window's extreme value (ADC clipping).
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
  blockRms: number[];
  blockSum: number;
  blockFill: number;
  minimum: number;
  maximum: number;
  invalidCount: number;
  sum: number;
  runValue: number;
  runLength: number;
  runsAtMaximum: number;
  runsAtMinimum: number;
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
const CLIPPING_RUN_SECONDS = 0.02;
const CLIPPED_EXTREME_SHARE = 0.3;
// 25th-percentile block RMS above this share of the loudest block, and above an absolute floor
// so that a quiet pause (no QRS in the window) is not called noise.
const NOISE_QUIET_TO_PEAK = 0.13;
const NOISE_FLOOR_UV = 20;

/** Values at or beyond this magnitude (µV) are outside int16 microvolts: rails or garbage. */
export const ABSURD_MICROVOLTS = 32767;

// Finite sentinels for "no sample yet" (JSON has no Infinity); inputs are clamped to ±32767.
const EMPTY_MINIMUM = 1e300;
const EMPTY_MAXIMUM = -1e300;

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
    blockSum: 0,
    blockFill: 0,
    minimum: EMPTY_MINIMUM,
    maximum: EMPTY_MAXIMUM,
    invalidCount: 0,
    sum: 0,
    runValue: EMPTY_MINIMUM,
    runLength: 0,
    runsAtMaximum: 0,
    runsAtMinimum: 0,
    previousIssues: [],
  };
}

/** Working form of the quality tracker; see QrsDetector for the same pattern. */
export class SignalQualityTracker {
  private readonly blockLength: number;
  private readonly clippingRun: number;
  private windowStart: number;
  private readonly blockRms: number[];
  private blockSum: number;
  private blockFill: number;
  private minimum: number;
  private maximum: number;
  private invalidCount: number;
  private sum: number;
  private runValue: number;
  private runLength: number;
  private runsAtMaximum: number;
  private runsAtMinimum: number;
  private previousIssues: QualityIssue[];

  constructor(sampleRateHz: number, state: SignalQualityState) {
    this.blockLength = blockLengthFor(sampleRateHz);
    this.clippingRun = Math.max(3, Math.round(CLIPPING_RUN_SECONDS * sampleRateHz));
    this.windowStart = state.windowStart;
    this.blockRms = [...state.blockRms];
    this.blockSum = state.blockSum;
    this.blockFill = state.blockFill;
    this.minimum = state.minimum;
    this.maximum = state.maximum;
    this.invalidCount = state.invalidCount;
    this.sum = state.sum;
    this.runValue = state.runValue;
    this.runLength = state.runLength;
    this.runsAtMaximum = state.runsAtMaximum;
    this.runsAtMinimum = state.runsAtMinimum;
    this.previousIssues = [...state.previousIssues];
  }

  toState(): SignalQualityState {
    return {
      windowStart: this.windowStart,
      blockRms: [...this.blockRms],
      blockSum: this.blockSum,
      blockFill: this.blockFill,
      minimum: this.minimum,
      maximum: this.maximum,
      invalidCount: this.invalidCount,
      sum: this.sum,
      runValue: this.runValue,
      runLength: this.runLength,
      runsAtMaximum: this.runsAtMaximum,
      runsAtMinimum: this.runsAtMinimum,
      previousIssues: [...this.previousIssues],
    };
  }

  /**
   * Adds the next block of samples: `raw` (µV, already cleaned), `bandPass` (the detector's
   * 5–15 Hz output) and `invalid` (1 where the input sample was unusable). Appends the
   * windows that closed to `closed`.
   */
  process(raw: Float64Array, bandPass: Float64Array, invalid: Uint8Array, closed: QualityWindow[]): void {
    const blockLength = this.blockLength;
    const clippingRun = this.clippingRun;
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
      // One block (or the part of it in this call) per pass of the inner loop.
      const end = Math.min(count, i + blockLength - this.blockFill);
      let energy = 0;
      let sum = 0;
      let minimum = this.minimum;
      let maximum = this.maximum;
      let runValue = this.runValue;
      let runLength = this.runLength;
      for (let k = i; k < end; k++) {
        const x = raw[k]!;
        const y = bandPass[k]!;
        energy += y * y;
        sum += x;
        if (x > maximum) {
          maximum = x;
          this.runsAtMaximum = 0;
        }
        if (x < minimum) {
          minimum = x;
          this.runsAtMinimum = 0;
        }
        if (x === runValue) runLength++;
        else {
          if (runLength >= clippingRun) this.countRun(runValue, runLength, minimum, maximum);
          runValue = x;
          runLength = 1;
        }
      }
      if (anyInvalid) for (let k = i; k < end; k++) this.invalidCount += invalid[k]!;
      this.blockSum += energy;
      this.sum += sum;
      this.minimum = minimum;
      this.maximum = maximum;
      this.runValue = runValue;
      this.runLength = runLength;
      this.blockFill += end - i;
      i = end;
      if (this.blockFill === blockLength) {
        this.blockRms.push(Math.sqrt(this.blockSum / blockLength));
        this.blockSum = 0;
        this.blockFill = 0;
        if (this.blockRms.length === BLOCKS_PER_WINDOW) {
          if (this.runLength >= clippingRun) this.countRun(this.runValue, this.runLength, this.minimum, this.maximum);
          this.runLength = 0;
          closed.push(this.closeWindow(this.windowStart + BLOCKS_PER_WINDOW * blockLength));
        }
      }
    }
  }

  /** End of recording: judge the partial window, if it holds at least one block. */
  flush(closed: QualityWindow[]): void {
    if (this.blockFill > 0) {
      this.blockRms.push(Math.sqrt(this.blockSum / this.blockFill));
    }
    if (this.blockRms.length === 0) return;
    if (this.runLength >= this.clippingRun) this.countRun(this.runValue, this.runLength, this.minimum, this.maximum);
    const end = this.windowStart + (this.blockRms.length - (this.blockFill > 0 ? 1 : 0)) * this.blockLength + this.blockFill;
    this.blockSum = 0;
    this.blockFill = 0;
    this.runLength = 0;
    closed.push(this.closeWindow(end));
  }

  private countRun(value: number, length: number, minimum: number, maximum: number): void {
    if (value === maximum) this.runsAtMaximum += length;
    if (value === minimum) this.runsAtMinimum += length;
  }

  private closeWindow(endSample: number): QualityWindow {
    const length = endSample - this.windowStart;
    const issues: QualityIssue[] = [];
    const range = this.maximum - this.minimum;
    // Plateaus count as clipping only at an extreme far from the window's mean level: a
    // clipped QRS or a railed amplifier, not a quiet baseline that happens to be the minimum.
    const mean = this.sum / length;
    const clipped =
      range > 0
        ? (this.maximum - mean >= CLIPPED_EXTREME_SHARE * range ? this.runsAtMaximum : 0) + (mean - this.minimum >= CLIPPED_EXTREME_SHARE * range ? this.runsAtMinimum : 0)
        : 0;
    const sorted = Float64Array.from(this.blockRms).sort();
    const loudest = sorted[sorted.length - 1] ?? 0;
    const typical = sorted[sorted.length >> 2] ?? 0;
    // A short tail at the end of a recording says little about flatness or noise.
    const fullEnough = this.blockRms.length * 2 >= BLOCKS_PER_WINDOW;
    if (this.invalidCount / length > INVALID_SHARE || clipped / length > CLIPPED_SHARE || (range === 0 && Math.abs(this.maximum) >= ABSURD_MICROVOLTS)) issues.push('saturation');
    else if (!fullEnough) {
      // Too short to judge flatness or noise alone: it shares the verdict of the window before.
      for (const issue of this.previousIssues) if (issue !== 'saturation') issues.push(issue);
    } else if (range < FLAT_RANGE_UV || loudest < FLAT_BLOCK_RMS_UV) issues.push('flat_line');
    else if (typical > NOISE_FLOOR_UV && typical > NOISE_QUIET_TO_PEAK * loudest) issues.push('high_noise');
    const window: QualityWindow = { startSample: this.windowStart, endSample, usable: issues.length === 0, issues };
    this.previousIssues = [...issues];
    this.windowStart = endSample;
    this.blockRms.length = 0;
    this.minimum = EMPTY_MINIMUM;
    this.maximum = EMPTY_MAXIMUM;
    this.invalidCount = 0;
    this.sum = 0;
    this.runsAtMaximum = 0;
    this.runsAtMinimum = 0;
    return window;
  }
}
