import { BUTTERWORTH_2_Q, BUTTERWORTH_4_Q, highPassBiquad, lowPassBiquad } from './biquad-filter.ts';
import { medianOfSorted, sortSmall } from './small-sort.ts';

/**
 * Streaming QRS detector after Hamilton & Tompkins: band-pass 5–15 Hz, derivative, square,
 * 150 ms moving-window integration, then peak classification with adaptive thresholds
 * (medians of the last eight QRS and noise peaks), T-wave rejection by slope and search-back.
 *
 * Every decision depends only on samples already seen, so feeding a recording in any
 * split gives exactly the beats of feeding it whole. The serialisable state is below.
 */
export interface QrsDetectorState {
  nextSample: number;
  filterMemory: number[];
  previousBandPass: number;
  integratorRing: number[];
  integratorIndex: number;
  integratorSum: number;
  bandPassRing: number[];
  rawRing: number[];
  integratorPrevious: number;
  integratorBeforePrevious: number;
  /** [position, height] of the integrator peak waiting out the 200 ms blanking, or []. */
  heldPeak: number[];
  qrsPeaks: number[];
  noisePeaks: number[];
  rrSamples: number[];
  lastQrs: number;
  lastQrsSlope: number;
  lastBeat: number;
  lastDecay: number;
  /** Threshold halvings since the last QRS (absent in states saved before it existed). */
  decaySteps?: number;
  /** [position, height, rPeak, slope] of the best search-back candidate, or []. */
  searchback: number[];
  /** Peaks seen while learning, flattened as [position, height, rPeak, slope]*; null once learned. */
  learningPeaks: number[] | null;
  learningEnd: number;
}

const PEAK_BUFFER = 8;
const SEGMENT_LENGTH = 4096;
const EMPTY = new Float64Array(0);
// Hamilton's threshold coefficient: a peak is a QRS above noise + 0.3125 (qrs - noise).
const THRESHOLD_COEFFICIENT = 0.3125;
const LEARNING_SECONDS = 2;
const BLANKING_SECONDS = 0.2;
const T_WAVE_WINDOW_SECONDS = 0.36;
const INTEGRATION_SECONDS = 0.15;
const SEARCHBACK_RR_FACTOR = 1.5;
// Integrator peaks below this share of the threshold are ripples: they only feed the noise level.
const MINOR_PEAK_SHARE = 0.25;
const MIN_BEAT_GAP_SECONDS = 0.16;
// After this long without a QRS, thresholds halve every half second so that a sudden
// drop in amplitude (lead change, gain change) is picked up again, but at most four times:
// down to 1/16 of the QRS level, which still finds a QRS fivefold smaller (1/25 of the
// energy), while in a long pause (asystole, blocked P waves) the threshold does not sink
// to the level of noise and P waves and report them as beats.
const DECAY_AFTER_SECONDS = 3;
const DECAY_EVERY_SECONDS = 0.5;
const MAX_DECAY_STEPS = 4;
// Integrator energy of an 8 µV, 10 Hz wave: below this nothing counts as a beat, so a flat
// or disconnected lead does not produce beats from quantisation noise. Kept this low so that
// a low-voltage lead (QRS of 50–100 µV peak to peak, as a loose patch gives) still shows every
// beat instead of looking like asystole; the signal-quality windows judge flat leads.
const MIN_QRS_AMPLITUDE_UV = 8;

export function createQrsDetectorState(sampleRateHz: number): QrsDetectorState {
  const ringSize = ringSizeFor(sampleRateHz);
  const integratorLength = Math.max(1, Math.round(INTEGRATION_SECONDS * sampleRateHz));
  return {
    nextSample: 0,
    filterMemory: [0, 0, 0, 0, 0, 0],
    previousBandPass: 0,
    integratorRing: new Array<number>(integratorLength).fill(0),
    integratorIndex: 0,
    integratorSum: 0,
    bandPassRing: new Array<number>(ringSize).fill(0),
    rawRing: new Array<number>(ringSize).fill(0),
    integratorPrevious: 0,
    integratorBeforePrevious: 0,
    heldPeak: [],
    qrsPeaks: new Array<number>(PEAK_BUFFER).fill(0),
    noisePeaks: new Array<number>(PEAK_BUFFER).fill(0),
    rrSamples: new Array<number>(PEAK_BUFFER).fill(sampleRateHz),
    lastQrs: -1,
    lastQrsSlope: 0,
    lastBeat: -1,
    lastDecay: -1,
    decaySteps: 0,
    searchback: [],
    learningPeaks: [],
    learningEnd: Math.round(LEARNING_SECONDS * sampleRateHz),
  };
}

/** Ring length (a power of two, for masking) holding at least the last 0.5 s, enough to locate a held peak's R wave. */
function ringSizeFor(sampleRateHz: number): number {
  // Blanking (0.2 s) + integration window (0.15 s) + search margins (0.13 s) behind the current sample.
  let size = 1;
  while (size < Math.ceil(0.5 * sampleRateHz) + 1) size *= 2;
  return size;
}

/**
 * Working form of the detector: typed arrays and plain fields for the hot loop.
 * Built from a state, run over one or more blocks, then turned back into a state.
 */
export class QrsDetector {
  readonly fs: number;
  private readonly mask: number;
  private readonly integratorLength: number;
  private readonly blanking: number;
  private readonly tWaveWindow: number;
  private readonly minBeatGap: number;
  private readonly decayAfter: number;
  private readonly decayEvery: number;
  private readonly minQrsEnergy: number;
  private readonly coefficients: Float64Array;

  private nextSample: number;
  private readonly filterMemory: Float64Array;
  private previousBandPass: number;
  private readonly integratorRing: Float64Array;
  private integratorIndex: number;
  private integratorSum: number;
  private readonly bandPassRing: Float64Array;
  private readonly rawRing: Float64Array;
  private integratorPrevious: number;
  private integratorBeforePrevious: number;
  private heldPosition: number;
  private heldHeight: number;
  private readonly qrsPeaks: Float64Array;
  private readonly noisePeaks: Float64Array;
  private readonly rrSamples: Float64Array;
  private lastQrs: number;
  private lastQrsSlope: number;
  private lastBeat: number;
  private lastDecay: number;
  private decaySteps: number;
  private searchbackPosition: number;
  private searchbackHeight: number;
  private searchbackBeat: number;
  private searchbackSlope: number;
  private learningPeaks: number[] | null;
  private learningEnd: number;
  private threshold: number;
  private searchbackAfter: number;
  /** The sample being processed when a rule fires: the moment a beat is confirmed. */
  private now = 0;
  private chunkRaw: Float64Array = EMPTY;
  private chunkBandPass: Float64Array = EMPTY;
  private chunkStart = 0;
  /** Scratch for the last two integrator values within a segment (see processSegment). */
  private readonly integratorHistory = new Float64Array(2);
  /** Scratch for the stretch of signal around a peak. */
  private readonly span: Float64Array;

  constructor(sampleRateHz: number, state: QrsDetectorState) {
    const fs = sampleRateHz;
    this.fs = fs;
    this.mask = state.bandPassRing.length - 1;
    this.span = new Float64Array(state.bandPassRing.length + 1);
    this.integratorLength = state.integratorRing.length;
    this.blanking = Math.round(BLANKING_SECONDS * fs);
    this.tWaveWindow = Math.round(T_WAVE_WINDOW_SECONDS * fs);
    this.minBeatGap = Math.round(MIN_BEAT_GAP_SECONDS * fs);
    this.decayAfter = Math.round(DECAY_AFTER_SECONDS * fs);
    this.decayEvery = Math.round(DECAY_EVERY_SECONDS * fs);
    const slope = 2 * Math.PI * 10 * MIN_QRS_AMPLITUDE_UV;
    this.minQrsEnergy = ((slope * slope) / 2) * this.integratorLength;
    const hp = highPassBiquad(5, fs, BUTTERWORTH_2_Q);
    const lp1 = lowPassBiquad(15, fs, BUTTERWORTH_4_Q[0]);
    const lp2 = lowPassBiquad(15, fs, BUTTERWORTH_4_Q[1]);
    this.coefficients = Float64Array.from([
      hp.b0,
      hp.b1,
      hp.b2,
      hp.a1,
      hp.a2,
      lp1.b0,
      lp1.b1,
      lp1.b2,
      lp1.a1,
      lp1.a2,
      lp2.b0,
      lp2.b1,
      lp2.b2,
      lp2.a1,
      lp2.a2,
    ]);

    this.nextSample = state.nextSample;
    this.filterMemory = Float64Array.from(state.filterMemory);
    this.previousBandPass = state.previousBandPass;
    this.integratorRing = Float64Array.from(state.integratorRing);
    this.integratorIndex = state.integratorIndex;
    this.integratorSum = state.integratorSum;
    this.bandPassRing = Float64Array.from(state.bandPassRing);
    this.rawRing = Float64Array.from(state.rawRing);
    this.integratorPrevious = state.integratorPrevious;
    this.integratorBeforePrevious = state.integratorBeforePrevious;
    this.heldPosition = state.heldPeak[0] ?? -1;
    this.heldHeight = state.heldPeak[1] ?? 0;
    this.qrsPeaks = Float64Array.from(state.qrsPeaks);
    this.noisePeaks = Float64Array.from(state.noisePeaks);
    this.rrSamples = Float64Array.from(state.rrSamples);
    this.lastQrs = state.lastQrs;
    this.lastQrsSlope = state.lastQrsSlope;
    this.lastBeat = state.lastBeat;
    this.lastDecay = state.lastDecay;
    this.decaySteps = state.decaySteps ?? 0;
    this.searchbackPosition = state.searchback[0] ?? -1;
    this.searchbackHeight = state.searchback[1] ?? 0;
    this.searchbackBeat = state.searchback[2] ?? -1;
    this.searchbackSlope = state.searchback[3] ?? 0;
    this.learningPeaks = state.learningPeaks === null ? null : [...state.learningPeaks];
    this.learningEnd = state.learningEnd;
    this.threshold = 0;
    this.searchbackAfter = 0;
    this.updateThreshold();
    this.updateSearchbackDelay();
  }

  /** The last band-pass sample produced (0 before any): where the next block's slope starts. */
  get lastBandPass(): number {
    return this.previousBandPass;
  }

  toState(): QrsDetectorState {
    return {
      nextSample: this.nextSample,
      filterMemory: Array.from(this.filterMemory),
      previousBandPass: this.previousBandPass,
      integratorRing: Array.from(this.integratorRing),
      integratorIndex: this.integratorIndex,
      integratorSum: this.integratorSum,
      bandPassRing: Array.from(this.bandPassRing),
      rawRing: Array.from(this.rawRing),
      integratorPrevious: this.integratorPrevious,
      integratorBeforePrevious: this.integratorBeforePrevious,
      heldPeak: this.heldPosition >= 0 ? [this.heldPosition, this.heldHeight] : [],
      qrsPeaks: Array.from(this.qrsPeaks),
      noisePeaks: Array.from(this.noisePeaks),
      rrSamples: Array.from(this.rrSamples),
      lastQrs: this.lastQrs,
      lastQrsSlope: this.lastQrsSlope,
      lastBeat: this.lastBeat,
      lastDecay: this.lastDecay,
      decaySteps: this.decaySteps,
      searchback:
        this.searchbackPosition >= 0 ? [this.searchbackPosition, this.searchbackHeight, this.searchbackBeat, this.searchbackSlope] : [],
      learningPeaks: this.learningPeaks === null ? null : [...this.learningPeaks],
      learningEnd: this.learningEnd,
    };
  }

  /**
   * Runs the detector over the next block of samples (µV). Writes the band-passed signal
   * into `bandPassOut` (same length) and appends each confirmed beat to `beats` as the pair
   * (R-peak sample index, sample index at which it was confirmed).
   */
  process(samples: Float64Array, bandPassOut: Float64Array, beats: number[]): void {
    if (this.nextSample === 0 && samples.length > 0) this.primeFilters(samples[0]!);
    const start = this.nextSample;
    const count = samples.length;
    // Within the call, past samples are read from the chunk itself; the rings only carry
    // the tail of earlier calls, so the loop does not store every sample twice more.
    this.chunkRaw = samples;
    this.chunkBandPass = bandPassOut;
    this.chunkStart = start;
    // The sample loop runs in a method called once per segment rather than once per call: a
    // function entered many times is optimised as a whole, where one long call would depend
    // on on-stack replacement and deoptimise on code after the loop.
    for (let from = 0; from < count; from += SEGMENT_LENGTH) {
      this.processSegment(samples, bandPassOut, beats, from, Math.min(count, from + SEGMENT_LENGTH));
    }
    this.nextSample = start + count;
    const mask = this.mask;
    for (let n = Math.max(start, start + count - mask - 1); n < start + count; n++) {
      this.rawRing[n & mask] = samples[n - start]!;
      this.bandPassRing[n & mask] = bandPassOut[n - start]!;
    }
    this.chunkRaw = EMPTY;
    this.chunkBandPass = EMPTY;
    this.chunkStart = this.nextSample;
  }

  /** Starts the high-pass as if `first` had always been there, so a DC offset does not ring through the filters as a fake QRS. */
  private primeFilters(first: number): void {
    const c = this.coefficients;
    const mem = this.filterMemory;
    mem[1] = c[2]! * first;
    mem[0] = (c[1]! + c[2]!) * first;
    this.rawRing.fill(first);
  }

  /** Filters, integrates and scans samples [from, to) of the current chunk. */
  private processSegment(samples: Float64Array, bandPassOut: Float64Array, beats: number[], from: number, to: number): void {
    const c = this.coefficients;
    const hb0 = c[0]!,
      hb1 = c[1]!,
      hb2 = c[2]!,
      ha1 = c[3]!,
      ha2 = c[4]!;
    const pb0 = c[5]!,
      pb1 = c[6]!,
      pb2 = c[7]!,
      pa1 = c[8]!,
      pa2 = c[9]!;
    const qb0 = c[10]!,
      qb1 = c[11]!,
      qb2 = c[12]!,
      qa1 = c[13]!,
      qa2 = c[14]!;
    const mem = this.filterMemory;
    let h1 = mem[0]!,
      h2 = mem[1]!,
      p1 = mem[2]!,
      p2 = mem[3]!,
      q1 = mem[4]!,
      q2 = mem[5]!;
    const integratorRing = this.integratorRing;
    const integratorLength = this.integratorLength;
    const fs = this.fs;
    let integratorIndex = this.integratorIndex;
    let integratorSum = this.integratorSum;
    let previousBandPass = this.previousBandPass;
    // The last two integrator values, for peak detection, live in a two-slot array (slot
    // i & 1 holds the one before the previous): kept in locals as `before = previous;
    // previous = sum`, the chain of copies made the compiler box a number on every sample.
    const history = this.integratorHistory;
    history[from & 1] = this.integratorBeforePrevious;
    history[(from + 1) & 1] = this.integratorPrevious;
    const start = this.chunkStart;
    let nextEvent = this.nextEventTime();

    for (let i = from; i < to; i++) {
      const n = start + i;
      const x = samples[i]!;
      const a = hb0 * x + h1;
      h1 = hb1 * x - ha1 * a + h2;
      h2 = hb2 * x - ha2 * a;
      const b = pb0 * a + p1;
      p1 = pb1 * a - pa1 * b + p2;
      p2 = pb2 * a - pa2 * b;
      const y = qb0 * b + q1;
      q1 = qb1 * b - qa1 * y + q2;
      q2 = qb2 * b - qa2 * y;
      bandPassOut[i] = y;
      const d = (y - previousBandPass) * fs;
      previousBandPass = y;
      const e = d * d;
      integratorSum += e - integratorRing[integratorIndex]!;
      integratorRing[integratorIndex] = e;
      if (++integratorIndex === integratorLength) integratorIndex = 0;

      // Rare events leave the loop body through method calls; the common path is arithmetic.
      if (n >= nextEvent) {
        this.now = n;
        this.onTimer(n, beats);
        nextEvent = this.nextEventTime();
      }
      const previous = history[(i + 1) & 1]!;
      if (previous > history[i & 1]! && previous >= integratorSum) {
        this.now = n;
        this.onIntegratorPeak(n - 1, previous);
        nextEvent = this.nextEventTime();
      }
      history[i & 1] = integratorSum;
    }

    mem[0] = h1;
    mem[1] = h2;
    mem[2] = p1;
    mem[3] = p2;
    mem[4] = q1;
    mem[5] = q2;
    this.integratorIndex = integratorIndex;
    this.integratorSum = integratorSum;
    this.previousBandPass = previousBandPass;
    this.integratorPrevious = history[(to + 1) & 1]!;
    this.integratorBeforePrevious = history[to & 1]!;
  }

  /** Copies samples [from, to] of the raw or band-passed signal into `into`, from the chunk or, before it, the ring. */
  private readSpan(from: number, to: number, raw: boolean, into: Float64Array): void {
    const chunk = raw ? this.chunkRaw : this.chunkBandPass;
    const ring = raw ? this.rawRing : this.bandPassRing;
    const chunkStart = this.chunkStart;
    const mask = this.mask;
    // Two plain loops (ring part, then chunk part) rather than a test per sample.
    const split = Math.min(to + 1, Math.max(from, chunkStart));
    for (let k = from; k < split; k++) into[k - from] = ring[k & mask]!;
    for (let k = split; k <= to; k++) into[k - from] = chunk[k - chunkStart]!;
  }

  /** End of recording: classify the peak still held by the blanking period. */
  flush(beats: number[]): void {
    const n = this.nextSample - 1;
    this.now = n;
    if (this.learningPeaks !== null) this.finishLearning(n, beats);
    if (this.heldPosition >= 0) this.releaseHeldPeak(n, beats);
    this.onLongGap(n, beats);
  }

  /** The first sample at which a timed rule (blanking end, learning end, search-back, decay) may act. */
  private nextEventTime(): number {
    let next = Number.POSITIVE_INFINITY;
    if (this.heldPosition >= 0) next = this.heldPosition + this.blanking;
    if (this.learningPeaks !== null) return Math.min(next, this.learningEnd);
    const gapStart = this.lastQrs + this.searchbackAfter + 1;
    if (this.searchbackPosition >= 0 && this.searchbackHeight > 0.5 * this.threshold && this.searchbackHeight > this.minQrsEnergy)
      return Math.min(next, gapStart);
    // Decay spent and no search-back candidate: nothing is due until the next peak.
    if (this.decaySteps >= MAX_DECAY_STEPS) return next;
    return Math.min(next, Math.max(gapStart, this.lastQrs + this.decayAfter + 1, this.lastDecay + this.decayEvery));
  }

  private onTimer(n: number, beats: number[]): void {
    if (this.heldPosition >= 0 && n - this.heldPosition >= this.blanking) this.releaseHeldPeak(n, beats);
    if (n >= this.learningEnd && this.learningPeaks !== null) this.finishLearning(n, beats);
    if (n - this.lastQrs > this.searchbackAfter) this.onLongGap(n, beats);
  }

  private onIntegratorPeak(position: number, height: number): void {
    // Hamilton's first rule: of peaks closer than 200 ms, only the larger one counts.
    if (this.heldPosition >= 0) {
      if (height > this.heldHeight) {
        this.heldPosition = position;
        this.heldHeight = height;
      }
      return;
    }
    this.heldPosition = position;
    this.heldHeight = height;
  }

  private releaseHeldPeak(n: number, beats: number[]): void {
    const position = this.heldPosition;
    const height = this.heldHeight;
    this.heldPosition = -1;
    this.heldHeight = 0;
    if (this.learningPeaks === null && height <= MINOR_PEAK_SHARE * this.threshold) {
      // Far below any threshold a beat could be accepted at: noise, no need to locate it.
      shiftIn(this.noisePeaks, height);
      this.updateThreshold();
      return;
    }
    const { rPeak, slope } = this.locateQrs(position, n);
    if (this.learningPeaks !== null) {
      this.learningPeaks.push(position, height, rPeak, slope);
      return;
    }
    this.classify(position, height, rPeak, slope, beats);
  }

  /** Finds the R wave behind an integrator peak: the band-pass extreme, refined on the raw signal. */
  private locateQrs(position: number, n: number): { rPeak: number; slope: number } {
    const oldest = Math.max(0, n - this.mask);
    const from = Math.max(oldest + 1, position - this.integratorLength - Math.round(0.05 * this.fs));
    const span = this.span;
    this.readSpan(from - 1, position, false, span);
    let best = -1;
    let bestIndex = position;
    let slope = 0;
    for (let k = from; k <= position; k++) {
      const v = span[k - from + 1]!;
      const magnitude = Math.abs(v);
      if (magnitude > best) {
        best = magnitude;
        bestIndex = k;
      }
      const s = Math.abs(v - span[k - from]!);
      if (s > slope) slope = s;
    }
    // The band-pass output lags the raw R wave by a few tens of ms; look slightly before.
    const rawFrom = Math.max(oldest, bestIndex - Math.round(0.08 * this.fs));
    const rawTo = Math.min(n, bestIndex + Math.round(0.03 * this.fs));
    this.readSpan(rawFrom, rawTo, true, span);
    const length = rawTo - rawFrom + 1;
    let mean = 0;
    for (let k = 0; k < length; k++) mean += span[k]!;
    mean /= length;
    let rPeak = bestIndex;
    let deviation = -1;
    for (let k = 0; k < length; k++) {
      const dv = Math.abs(span[k]! - mean);
      if (dv > deviation) {
        deviation = dv;
        rPeak = rawFrom + k;
      }
    }
    return { rPeak, slope };
  }

  private classify(position: number, height: number, rPeak: number, slope: number, beats: number[]): void {
    const sinceQrs = position - this.lastQrs;
    const looksLikeTWave = this.lastQrs >= 0 && sinceQrs < this.tWaveWindow && slope < 0.5 * this.lastQrsSlope;
    if (height > this.threshold && height > this.minQrsEnergy && !looksLikeTWave && this.acceptBeat(position, height, rPeak, slope, beats))
      return;
    shiftIn(this.noisePeaks, height);
    this.updateThreshold();
    if (sinceQrs >= this.tWaveWindow && height > this.searchbackHeight) {
      this.searchbackPosition = position;
      this.searchbackHeight = height;
      this.searchbackBeat = rPeak;
      this.searchbackSlope = slope;
    }
  }

  private acceptBeat(position: number, height: number, rPeak: number, slope: number, beats: number[]): boolean {
    if (this.lastBeat >= 0 && rPeak - this.lastBeat < this.minBeatGap) return false;
    shiftIn(this.qrsPeaks, height);
    if (this.lastBeat >= 0) {
      shiftIn(this.rrSamples, rPeak - this.lastBeat);
      this.updateSearchbackDelay();
    }
    this.updateThreshold();
    this.lastQrs = position;
    this.lastQrsSlope = slope;
    this.lastBeat = rPeak;
    this.decaySteps = 0;
    this.searchbackPosition = -1;
    this.searchbackHeight = 0;
    beats.push(rPeak, this.now);
    return true;
  }

  /** Search-back for a missed beat, and threshold decay during a long silence. */
  private onLongGap(n: number, beats: number[]): void {
    if (this.learningPeaks !== null) return;
    if (this.searchbackPosition >= 0 && this.searchbackHeight > 0.5 * this.threshold && this.searchbackHeight > this.minQrsEnergy) {
      const accepted = this.acceptBeat(this.searchbackPosition, this.searchbackHeight, this.searchbackBeat, this.searchbackSlope, beats);
      if (!accepted) {
        this.searchbackPosition = -1;
        this.searchbackHeight = 0;
      }
      return;
    }
    if (this.decaySteps < MAX_DECAY_STEPS && n - this.lastQrs > this.decayAfter && n - this.lastDecay >= this.decayEvery) {
      this.lastDecay = n;
      this.decaySteps++;
      for (let k = 0; k < PEAK_BUFFER; k++) this.qrsPeaks[k] = this.qrsPeaks[k]! * 0.5;
      this.updateThreshold();
    }
  }

  private finishLearning(n: number, beats: number[]): void {
    const peaks = this.learningPeaks ?? [];
    let maxHeight = 0;
    for (let k = 1; k < peaks.length; k += 4) maxHeight = Math.max(maxHeight, peaks[k]!);
    if (maxHeight <= this.minQrsEnergy) {
      // Nothing that could be a QRS yet (flat or absent signal): keep learning.
      this.learningPeaks = [];
      this.learningEnd = n + Math.round(LEARNING_SECONDS * this.fs);
      return;
    }
    this.learningPeaks = null;
    this.qrsPeaks.fill(maxHeight);
    this.noisePeaks.fill(0);
    this.lastQrs = n - Math.round(LEARNING_SECONDS * this.fs);
    this.updateThreshold();
    for (let k = 0; k + 3 < peaks.length; k += 4) this.classify(peaks[k]!, peaks[k + 1]!, peaks[k + 2]!, peaks[k + 3]!, beats);
  }

  private updateThreshold(): void {
    const qrs = median(this.qrsPeaks);
    const noise = median(this.noisePeaks);
    this.threshold = noise + THRESHOLD_COEFFICIENT * (qrs - noise);
  }

  private updateSearchbackDelay(): void {
    let sum = 0;
    for (let k = 0; k < PEAK_BUFFER; k++) sum += this.rrSamples[k]!;
    this.searchbackAfter = Math.round((SEARCHBACK_RR_FACTOR * sum) / PEAK_BUFFER);
  }
}

function shiftIn(buffer: Float64Array, value: number): void {
  buffer.copyWithin(0, 1);
  buffer[buffer.length - 1] = value;
}

const medianScratch = new Float64Array(PEAK_BUFFER);

function median(values: Float64Array): number {
  // Sorted in a reused array: no allocation per peak.
  const sorted = medianScratch;
  sorted.set(values);
  sortSmall(sorted, sorted.length);
  return medianOfSorted(sorted, sorted.length);
}
