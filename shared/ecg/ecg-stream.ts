import { QrsDetector, createQrsDetectorState, type QrsDetectorState } from './qrs-detector.ts';
import {
  SignalQualityTracker,
  createSignalQualityState,
  type QualityIssue,
  type QualityWindow,
  type SignalQualityState,
} from './signal-quality.ts';
import {
  MIN_HRV_SECONDS,
  addRr,
  createRrAccumulator,
  heartRateFromAccumulator,
  heartRateFromRr,
  hrvFromAccumulator,
  hrvOfRecent,
  type HeartRate,
  type Hrv,
  type RrAccumulator,
} from './rr-measures.ts';
import { implausiblyCloseBeats, regularBeatsAround } from './beat-plausibility.ts';
import { sanitizeSamples, scratchBandPass, type Samples } from './sample-sanitizer.ts';
import { classifyRrRhythm, measureRrIrregularity, type RrRhythm } from './rhythm-classifier.ts';
import { BeatHistory, createBeatHistoryState, type BeatHistoryState } from './beat-history.ts';
import { medianOfSorted, sortSmall } from './small-sort.ts';

export interface EcgAnalysisOptions {
  /** RR interval (s) above which a pause is reported. Default 2.5. */
  pauseSeconds?: number;
  bradycardiaBpm?: number;
  tachycardiaBpm?: number;
  /** |ST deviation| (mV) of the median beat at or above which st_deviation is reported. Default 0.1. */
  stDeviationMv?: number;
}

export type EcgFinding =
  | { kind: 'bradycardia' | 'tachycardia'; heartRateBpm: number; startSample: number; endSample: number }
  | { kind: 'pause'; rrSeconds: number; startSample: number; endSample: number }
  | { kind: 'irregular_rhythm'; measures: Record<string, number>; startSample: number; endSample: number }
  | { kind: 'st_deviation'; deviationMv: number; startSample: number; endSample: number }
  | { kind: 'signal_quality'; issue: QualityIssue; startSample: number; endSample: number };

export interface ChunkAnalysis {
  startSample: number;
  sampleCount: number;
  /** R peaks confirmed during this call (each beat reported exactly once across calls). */
  beats: number[];
  /** Intervals ending at this call's beats, from usable signal only. */
  rrIntervalsMs: number[];
  heartRate?: HeartRate;
  hrv?: Hrv;
  quality: QualityWindow[];
  usable: boolean;
  findings: EcgFinding[];
}

export type RecordingRhythm = 'sinus' | 'af' | 'other' | 'noisy' | 'unknown';

export interface RecordingSummary {
  analyzedSeconds: number;
  beatCount: number;
  heartRate?: HeartRate;
  hrv?: Hrv;
  rhythm: RecordingRhythm;
  flags: string[];
  unusableSeconds: number;
  stDeviationMv?: number;
  /** Seconds of usable RR classified as each rhythm (30 s segments); what `rhythm` is decided from. */
  rhythmSeconds?: Record<RrRhythm, number>;
}

/**
 * Everything carried between invocations. Plain JSON; every array is bounded, so the size
 * does not grow with the recording (about 30 KB at 1000 Hz, most of it signal history).
 */
export interface EcgStreamState {
  version: 1;
  sampleRateHz: number;
  options: Required<EcgAnalysisOptions>;
  nextSample: number;
  finished: boolean;
  /** Last valid input value, held in place of NaN or infinite samples. */
  lastValidValue: number;
  detector: QrsDetectorState;
  quality: SignalQualityState;
  /** Beats detected but not yet released because their quality window is still open: [rPeak, confirmedAt]*. */
  pendingBeats: number[];
  /** The last beats detected (released or not), [rPeak, confirmedAt]*, to tell regular rhythm from noise. */
  recentBeats: number[];
  /** The last closed quality windows, [start, end, usable 0|1]*. */
  recentWindows: number[];
  lastBeat: number;
  /** The previous usable RR (ms) if it directly precedes the next one, else -1. */
  previousRrMs: number;
  /** Recent usable RR intervals for windowed HRV, and whether each follows the previous one. */
  recentRrMs: number[];
  recentRrContiguous: number[];
  /** The last usable RR intervals, whose median is the heart rate for brady/tachycardia. */
  rateRrMs: number[];
  rhythmSegmentRrMs: number[];
  rhythmSegmentStart: number;
  rhythmSeconds: Record<RrRhythm, number>;
  beatHistory: BeatHistoryState;
  totals: {
    beatCount: number;
    unusableSamples: number;
    flags: string[];
    rr: RrAccumulator;
    stDeviationMv: number | null;
  };
}

const MIN_SAMPLE_RATE = 125;
const MAX_SAMPLE_RATE = 1000;
const RECENT_WINDOWS = 32;
const RECENT_BEATS = 24;
// Enough RR history for windowed HRV over a 60 s chunk at 300 bpm.
const RECENT_RR_LIMIT = 320;
const RECENT_RR_SECONDS = 65;
const RATE_RR_COUNT = 8;
const MIN_RATE_RR_COUNT = 4;
const RHYTHM_SEGMENT_SECONDS = 30;
// A recording shorter than one segment is still classified at the end from this many intervals.
const MIN_FINAL_SEGMENT_RR = 8;
const NOISY_RECORDING_SHARE = 0.5;
// Intervals outside this range are detection or signal artefacts, not physiology.
const MIN_PLAUSIBLE_RR_MS = 200;
const MAX_PLAUSIBLE_RR_MS = 20000;

export function createEcgStream(sampleRateHz: number, options: EcgAnalysisOptions = {}): EcgStreamState {
  if (
    typeof sampleRateHz !== 'number' ||
    !Number.isFinite(sampleRateHz) ||
    sampleRateHz < MIN_SAMPLE_RATE ||
    sampleRateHz > MAX_SAMPLE_RATE
  ) {
    throw new RangeError(`sampleRateHz must be between ${MIN_SAMPLE_RATE} and ${MAX_SAMPLE_RATE} Hz, got ${String(sampleRateHz)}`);
  }
  const resolved = resolveOptions(options);
  return {
    version: 1,
    sampleRateHz,
    options: resolved,
    nextSample: 0,
    finished: false,
    lastValidValue: 0,
    detector: createQrsDetectorState(sampleRateHz),
    quality: createSignalQualityState(),
    pendingBeats: [],
    recentBeats: [],
    recentWindows: [],
    lastBeat: -1,
    previousRrMs: -1,
    recentRrMs: [],
    recentRrContiguous: [],
    rateRrMs: [],
    rhythmSegmentRrMs: [],
    rhythmSegmentStart: 0,
    rhythmSeconds: { sinus: 0, af: 0, other: 0 },
    beatHistory: createBeatHistoryState(),
    totals: { beatCount: 0, unusableSamples: 0, flags: [], rr: createRrAccumulator(), stDeviationMv: null },
  };
}

function resolveOptions(options: EcgAnalysisOptions): Required<EcgAnalysisOptions> {
  const pick = (value: number | undefined, fallback: number, name: string): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
    return value;
  };
  return {
    pauseSeconds: pick(options.pauseSeconds, 2.5, 'pauseSeconds'),
    bradycardiaBpm: pick(options.bradycardiaBpm, 50, 'bradycardiaBpm'),
    tachycardiaBpm: pick(options.tachycardiaBpm, 100, 'tachycardiaBpm'),
    stDeviationMv: pick(options.stDeviationMv, 0.1, 'stDeviationMv'),
  };
}

/** Analyses the next chunk in order. Never throws for bad samples; never mutates `state`. */
export function analyzeChunk(state: EcgStreamState, samples: Samples): { state: EcgStreamState; result: ChunkAnalysis } {
  const run = new StreamRun(state);
  const length = samples === null || samples === undefined ? 0 : samples.length;
  if (state.finished || length === 0) {
    return { state: run.toState(), result: run.emptyResult() };
  }
  const result = run.analyze(samples);
  return { state: run.toState(), result };
}

/** Ends the recording: judges the last partial window, releases held beats, summarises. */
export function finishEcgStream(state: EcgStreamState): { state: EcgStreamState; result: ChunkAnalysis; summary: RecordingSummary } {
  const run = new StreamRun(state);
  const result = state.finished ? run.emptyResult() : run.finish();
  const next = run.toState();
  return { state: next, result, summary: summarizeRecording(next) };
}

export function summarizeRecording(state: EcgStreamState): RecordingSummary {
  const fs = state.sampleRateHz;
  const analyzedSeconds = state.nextSample / fs;
  const unusableSeconds = state.totals.unusableSamples / fs;
  const summary: RecordingSummary = {
    analyzedSeconds,
    beatCount: state.totals.beatCount,
    rhythm: recordingRhythm(state, analyzedSeconds, unusableSeconds),
    flags: [...state.totals.flags],
    unusableSeconds,
    rhythmSeconds: { ...state.rhythmSeconds },
  };
  const heartRate = heartRateFromAccumulator(state.totals.rr);
  if (heartRate !== undefined) summary.heartRate = heartRate;
  const hrv = hrvFromAccumulator(state.totals.rr);
  if (hrv !== undefined) summary.hrv = hrv;
  if (state.totals.stDeviationMv !== null) summary.stDeviationMv = state.totals.stDeviationMv;
  return summary;
}

function recordingRhythm(state: EcgStreamState, analyzedSeconds: number, unusableSeconds: number): RecordingRhythm {
  if (analyzedSeconds > 0 && unusableSeconds / analyzedSeconds > NOISY_RECORDING_SHARE) return 'noisy';
  const seconds = state.rhythmSeconds;
  let best: RecordingRhythm = 'unknown';
  let bestSeconds = 0;
  for (const rhythm of ['sinus', 'af', 'other'] as const) {
    if (seconds[rhythm] > bestSeconds) {
      best = rhythm;
      bestSeconds = seconds[rhythm];
    }
  }
  return best;
}

export interface RecordingAnalysis {
  sampleRateHz: number;
  beats: number[];
  rrIntervalsMs: number[];
  quality: QualityWindow[];
  findings: EcgFinding[];
  summary: RecordingSummary;
}

/** Analyses a whole recording at once: the streaming path with a single chunk. */
export function analyzeRecording(samples: Samples, sampleRateHz: number, options: EcgAnalysisOptions = {}): RecordingAnalysis {
  const first = analyzeChunk(createEcgStream(sampleRateHz, options), samples);
  const last = finishEcgStream(first.state);
  const parts = [first.result, last.result];
  return {
    sampleRateHz,
    beats: parts.flatMap((p) => p.beats),
    rrIntervalsMs: parts.flatMap((p) => p.rrIntervalsMs),
    quality: parts.flatMap((p) => p.quality),
    findings: mergeFindings(parts.flatMap((p) => p.findings)),
    summary: last.summary,
  };
}

/**
 * Joins findings that continue one another across calls: rate episodes and quality runs that
 * touch, and successive ST measurements (the latest median beat wins).
 */
export function mergeFindings(findings: readonly EcgFinding[]): EcgFinding[] {
  const out: EcgFinding[] = [];
  for (const finding of findings) {
    const open = out.findLast((f) => f.kind === finding.kind);
    if (open !== undefined && finding.startSample <= open.endSample) {
      if ((open.kind === 'bradycardia' || open.kind === 'tachycardia') && open.kind === finding.kind) {
        const bpm = finding.heartRateBpm;
        open.heartRateBpm = open.kind === 'bradycardia' ? Math.min(open.heartRateBpm, bpm) : Math.max(open.heartRateBpm, bpm);
        open.endSample = Math.max(open.endSample, finding.endSample);
        continue;
      }
      if (open.kind === 'signal_quality' && finding.kind === 'signal_quality' && open.issue === finding.issue) {
        open.endSample = Math.max(open.endSample, finding.endSample);
        continue;
      }
      if (open.kind === 'st_deviation' && finding.kind === 'st_deviation') {
        open.deviationMv = finding.deviationMv;
        open.endSample = Math.max(open.endSample, finding.endSample);
        continue;
      }
    }
    out.push({ ...finding } as EcgFinding);
  }
  return out;
}

type RateEpisode = { kind: 'bradycardia' | 'tachycardia'; startSample: number; endSample: number; heartRateBpm: number };

/** One invocation's working copy of the state: typed arrays in, plain JSON out. */
class StreamRun {
  private readonly s: EcgStreamState;
  private readonly fs: number;
  private readonly detector: QrsDetector;
  private readonly quality: SignalQualityTracker;
  private readonly history: BeatHistory;
  private readonly beats: number[] = [];
  private readonly rrIntervalsMs: number[] = [];
  private readonly findings: EcgFinding[] = [];
  private readonly windows: QualityWindow[] = [];
  private episode: RateEpisode | undefined;
  /** How far into `pendingBeats` this call has released. */
  private releasedPending = 0;

  constructor(state: EcgStreamState) {
    // A deep copy: the caller's state object is never touched.
    this.s = structuredClone(state);
    this.fs = state.sampleRateHz;
    this.detector = new QrsDetector(this.fs, this.s.detector);
    this.quality = new SignalQualityTracker(this.fs, this.s.quality);
    this.history = new BeatHistory(this.fs, this.s.beatHistory);
  }

  toState(): EcgStreamState {
    this.s.detector = this.detector.toState();
    this.s.quality = this.quality.toState();
    this.s.beatHistory = this.history.toState();
    return this.s;
  }

  emptyResult(): ChunkAnalysis {
    return { startSample: this.s.nextSample, sampleCount: 0, beats: [], rrIntervalsMs: [], quality: [], usable: false, findings: [] };
  }

  analyze(samples: Samples): ChunkAnalysis {
    const startSample = this.s.nextSample;
    const { values, invalid, invalidCount, lastValidValue } = sanitizeSamples(samples, this.s.lastValidValue);
    this.s.lastValidValue = lastValidValue;
    const bandPass = scratchBandPass(values.length);
    const detected: number[] = [];
    const bandPassBefore = this.detector.lastBandPass;
    this.detector.process(values, bandPass, detected);
    this.quality.process(values, bandPass, bandPassBefore, invalid, invalidCount, this.windows);
    this.history.append(values);
    this.s.nextSample = startSample + values.length;
    this.absorbBeats(detected);
    return this.result(startSample, values.length, invalidCount);
  }

  finish(): ChunkAnalysis {
    const detected: number[] = [];
    this.detector.flush(detected);
    this.quality.flush(this.windows);
    this.absorbBeats(detected);
    this.releaseBeats(Number.POSITIVE_INFINITY);
    this.compactPending();
    this.closeEpisode();
    this.classifyFinalSegment();
    this.s.finished = true;
    return this.result(this.s.nextSample, 0, 0);
  }

  /**
   * Takes newly detected beats and the windows that closed, in time order: each window is
   * recorded, then the beats it covers are released with its verdict. A window is noisy when
   * its 5–15 Hz band is busy or its detections come implausibly close together, unless the
   * beats around it keep a plainly regular rhythm (fast or wide-complex rhythms).
   */
  private absorbBeats(detected: number[]): void {
    const candidates = this.s.recentBeats.concat(detected);
    this.s.pendingBeats = this.s.pendingBeats.concat(detected);
    for (const window of this.windows) {
      const noisyBand = window.issues.length === 1 && window.issues[0] === 'high_noise';
      if (
        (noisyBand || (window.usable && implausiblyCloseBeats(candidates, window, this.fs))) &&
        !regularBeatsAround(candidates, window, this.fs)
      ) {
        window.issues = ['high_noise'];
        window.usable = false;
      } else if (noisyBand) {
        window.issues = [];
        window.usable = true;
      }
      this.s.recentWindows.push(window.startSample, window.endSample, window.usable ? 1 : 0);
      if (this.s.recentWindows.length > 3 * RECENT_WINDOWS)
        this.s.recentWindows.splice(0, this.s.recentWindows.length - 3 * RECENT_WINDOWS);
      if (!window.usable) this.s.totals.unusableSamples += window.endSample - window.startSample;
      this.releaseBeats(window.endSample);
    }
    this.s.recentBeats = candidates.slice(-2 * RECENT_BEATS);
    this.compactPending();
    this.closeEpisode();
  }

  /** Releases the pending beats before `closedEnd`, whose quality window is known. */
  private releaseBeats(closedEnd: number): void {
    const pending = this.s.pendingBeats;
    let k = this.releasedPending;
    for (; k + 1 < pending.length; k += 2) {
      const beat = pending[k]!;
      if (beat >= closedEnd) break;
      this.onBeat(beat);
    }
    this.releasedPending = k;
  }

  /** Drops the released beats from the pending list (once per call, not per window). */
  private compactPending(): void {
    if (this.releasedPending > 0) this.s.pendingBeats = this.s.pendingBeats.slice(this.releasedPending);
    this.releasedPending = 0;
  }

  private onBeat(beat: number): void {
    const s = this.s;
    s.totals.beatCount += 1;
    this.beats.push(beat);
    const previous = s.lastBeat;
    s.lastBeat = beat;
    if (previous < 0) return;
    const rrMs = ((beat - previous) * 1000) / this.fs;
    if (!this.spanUsable(previous, beat) || rrMs < MIN_PLAUSIBLE_RR_MS || rrMs > MAX_PLAUSIBLE_RR_MS) {
      // The rate after a gap is judged afresh, not from intervals before it.
      s.previousRrMs = -1;
      s.rateRrMs = [];
      this.closeEpisode();
      return;
    }
    this.rrIntervalsMs.push(rrMs);
    addRr(s.totals.rr, rrMs, s.previousRrMs >= 0 ? s.previousRrMs : undefined);
    this.rememberRecentRr(rrMs, s.previousRrMs >= 0);
    const premature = s.rateRrMs.length >= MIN_RATE_RR_COUNT && rrMs < 0.85 * median(s.rateRrMs);
    s.previousRrMs = rrMs;
    s.rateRrMs.push(rrMs);
    if (s.rateRrMs.length > RATE_RR_COUNT) s.rateRrMs.shift();

    if (rrMs > s.options.pauseSeconds * 1000)
      this.addFinding({ kind: 'pause', rrSeconds: rrMs / 1000, startSample: previous, endSample: beat });
    this.trackRate(previous, beat);
    this.trackRhythm(rrMs, beat);
    // Premature beats (PVCs, APCs) would distort the median beat's morphology.
    if (!premature) this.history.addBeat(beat);
  }

  /** True when every quality window overlapping [from, to] was usable (and is still remembered). */
  private spanUsable(from: number, to: number): boolean {
    const w = this.s.recentWindows;
    let covered = Number.POSITIVE_INFINITY;
    for (let k = 0; k + 2 < w.length; k += 3) {
      const start = w[k]!,
        end = w[k + 1]!,
        usable = w[k + 2]!;
      if (end <= from || start > to) continue;
      if (usable === 0) return false;
      covered = Math.min(covered, start);
    }
    return covered <= from;
  }

  private rememberRecentRr(rrMs: number, contiguous: boolean): void {
    const s = this.s;
    s.recentRrMs.push(rrMs);
    s.recentRrContiguous.push(contiguous ? 1 : 0);
    let total = 0;
    let keep = 0;
    for (let k = s.recentRrMs.length - 1; k >= 0 && total < RECENT_RR_SECONDS * 1000 && keep < RECENT_RR_LIMIT; k--) {
      total += s.recentRrMs[k]!;
      keep++;
    }
    if (keep < s.recentRrMs.length) {
      // Dropped in place: once the history is full this runs on every beat, and a copy of
      // the whole history per beat was most of the pipeline's garbage.
      const drop = s.recentRrMs.length - keep;
      s.recentRrMs.splice(0, drop);
      s.recentRrContiguous.splice(0, drop);
    }
  }

  /** Brady/tachycardia from the median of the last eight usable intervals, as episodes within this call. */
  private trackRate(previous: number, beat: number): void {
    const s = this.s;
    if (s.rateRrMs.length < MIN_RATE_RR_COUNT) return;
    const bpm = 60000 / median(s.rateRrMs);
    const kind = bpm < s.options.bradycardiaBpm ? 'bradycardia' : bpm > s.options.tachycardiaBpm ? 'tachycardia' : undefined;
    if (kind === undefined || (this.episode !== undefined && this.episode.kind !== kind)) this.closeEpisode();
    if (kind === undefined) return;
    if (this.episode === undefined) this.episode = { kind, startSample: previous, endSample: beat, heartRateBpm: bpm };
    else {
      this.episode.endSample = beat;
      this.episode.heartRateBpm =
        kind === 'bradycardia' ? Math.min(this.episode.heartRateBpm, bpm) : Math.max(this.episode.heartRateBpm, bpm);
    }
  }

  private closeEpisode(): void {
    if (this.episode === undefined) return;
    this.addFinding({ ...this.episode });
    this.episode = undefined;
  }

  private trackRhythm(rrMs: number, beat: number): void {
    const s = this.s;
    if (s.rhythmSegmentRrMs.length === 0) s.rhythmSegmentStart = beat - Math.round((rrMs * this.fs) / 1000);
    s.rhythmSegmentRrMs.push(rrMs);
    const seconds = sum(s.rhythmSegmentRrMs) / 1000;
    if (seconds < RHYTHM_SEGMENT_SECONDS) return;
    this.classifySegment(seconds, beat, true);
  }

  private classifySegment(seconds: number, endSample: number, report: boolean): void {
    const s = this.s;
    const measures = measureRrIrregularity(s.rhythmSegmentRrMs);
    const rhythm = classifyRrRhythm(measures);
    s.rhythmSeconds[rhythm] += seconds;
    if (report && rhythm === 'af') {
      this.addFinding({
        kind: 'irregular_rhythm',
        measures: { ...measures, windowSeconds: seconds },
        startSample: s.rhythmSegmentStart,
        endSample,
      });
    }
    s.rhythmSegmentRrMs = [];
  }

  /** A recording's tail (or a short recording) still counts towards its rhythm, without a finding. */
  private classifyFinalSegment(): void {
    const s = this.s;
    const seconds = sum(s.rhythmSegmentRrMs) / 1000;
    const classifiedBefore = s.rhythmSeconds.sinus + s.rhythmSeconds.af + s.rhythmSeconds.other > 0;
    if (s.rhythmSegmentRrMs.length >= MIN_FINAL_SEGMENT_RR && (!classifiedBefore || seconds >= RHYTHM_SEGMENT_SECONDS / 2)) {
      this.classifySegment(seconds, s.lastBeat, false);
    }
  }

  private addFinding(finding: EcgFinding): void {
    this.findings.push(finding);
    if (!this.s.totals.flags.includes(finding.kind)) this.s.totals.flags.push(finding.kind);
  }

  private result(startSample: number, sampleCount: number, invalidCount: number): ChunkAnalysis {
    const s = this.s;
    const findings: EcgFinding[] = [...this.qualityFindings(), ...this.findings];
    const st = this.history.measureMedianBeat();
    if (st !== undefined) {
      s.totals.stDeviationMv = st.deviationMv;
      if (Math.abs(st.deviationMv) >= s.options.stDeviationMv) {
        const finding: EcgFinding = {
          kind: 'st_deviation',
          deviationMv: st.deviationMv,
          startSample: st.firstBeat,
          endSample: st.lastBeat,
        };
        findings.push(finding);
        if (!s.totals.flags.includes('st_deviation')) s.totals.flags.push('st_deviation');
      }
    }
    let unusable = 0;
    let judged = 0;
    for (const w of this.windows) {
      judged += w.endSample - w.startSample;
      if (!w.usable) unusable += w.endSample - w.startSample;
    }
    const usable = judged > 0 ? unusable * 2 <= judged : sampleCount > 0 && invalidCount * 2 <= sampleCount;
    const result: ChunkAnalysis = {
      startSample,
      sampleCount,
      beats: this.beats,
      rrIntervalsMs: this.rrIntervalsMs,
      quality: this.windows,
      usable,
      findings,
    };
    const heartRate = heartRateFromRr(this.rrIntervalsMs);
    if (heartRate !== undefined) result.heartRate = heartRate;
    const hrv = hrvOfRecent(
      s.recentRrMs,
      s.recentRrContiguous.map((c) => c === 1),
      Math.max(MIN_HRV_SECONDS, sampleCount / this.fs),
    );
    if (hrv !== undefined) result.hrv = hrv;
    return result;
  }

  /** One technical finding per run of consecutive windows with the same issue. */
  private qualityFindings(): EcgFinding[] {
    const out: Array<Extract<EcgFinding, { kind: 'signal_quality' }>> = [];
    for (const w of this.windows) {
      for (const issue of w.issues) {
        const open = out.find((f) => f.issue === issue && f.endSample === w.startSample);
        if (open !== undefined) open.endSample = w.endSample;
        else out.push({ kind: 'signal_quality', issue, startSample: w.startSample, endSample: w.endSample });
        if (!this.s.totals.flags.includes('signal_quality')) this.s.totals.flags.push('signal_quality');
      }
    }
    return out;
  }
}

const rateScratch = new Float64Array(RATE_RR_COUNT + 1);

/** Median of the last few RR intervals (at most RATE_RR_COUNT), sorted in a reused scratch array. */
function median(values: readonly number[]): number {
  const n = values.length;
  const sorted = n <= rateScratch.length ? rateScratch : new Float64Array(n);
  for (let k = 0; k < n; k++) sorted[k] = values[k]!;
  sortSmall(sorted, n);
  return medianOfSorted(sorted, n);
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (let k = 0; k < values.length; k++) total += values[k]!;
  return total;
}
