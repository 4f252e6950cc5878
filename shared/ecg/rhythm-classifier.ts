/**
 * RR-interval irregularity measures for atrial-fibrillation screening, after Dash et al.
 * (Ann Biomed Eng 2009): AF gives RR intervals that are irregular (normalised RMSSD),
 * unpatterned (turning-point ratio near that of a random series) and spread over many
 * values (Shannon entropy of their histogram). Ectopic beats and bigeminy are irregular
 * but patterned or concentrated in few values, which the last two measures reject.
 */
export interface RrIrregularity {
  rrCount: number;
  meanRrMs: number;
  normalizedRmssd: number;
  shannonEntropy: number;
  turningPointRatio: number;
  /** Median successive difference over the median RR, premature-beat pairs left out. */
  normalizedMedianSuccessiveDifference: number;
  /** Share of intervals taken out as premature beat + compensatory pause. */
  ectopicShare: number;
  cleanDifferenceCount: number;
}

export type RrRhythm = 'sinus' | 'af' | 'other';

// Share of intervals trimmed at each end before the histogram (Dash: 8 of 128).
const TRIM_FRACTION = 0.0625;
const HISTOGRAM_BINS = 16;
const PREMATURE_SHARE = 0.85;
const COMPENSATORY_SHARE = 1.1;

export function measureRrIrregularity(rrMs: readonly number[]): RrIrregularity {
  const n = rrMs.length;
  let sum = 0;
  for (const rr of rrMs) sum += rr;
  const meanRrMs = n > 0 ? sum / n : 0;
  let squares = 0;
  for (let i = 1; i < n; i++) squares += (rrMs[i]! - rrMs[i - 1]!) ** 2;
  const normalizedRmssd = n > 1 && meanRrMs > 0 ? Math.sqrt(squares / (n - 1)) / meanRrMs : 0;

  // Premature beats (a short interval then a compensatory long one) are taken out before
  // the AF measures, so frequent PVCs or APCs in sinus rhythm do not read as AF.
  const sortedAll = [...rrMs].sort((a, b) => a - b);
  const typical = medianOfSorted(sortedAll);
  const ectopic = new Uint8Array(n);
  for (let i = 0; i + 1 < n; i++) {
    if (rrMs[i]! < PREMATURE_SHARE * typical && rrMs[i + 1]! > COMPENSATORY_SHARE * typical) {
      ectopic[i] = 1;
      ectopic[i + 1] = 1;
    }
  }
  const clean: number[] = [];
  const diffs: number[] = [];
  for (let i = 0; i < n; i++) {
    if (ectopic[i] === 1) continue;
    clean.push(rrMs[i]!);
    if (i > 0 && ectopic[i - 1] === 0) diffs.push(Math.abs(rrMs[i]! - rrMs[i - 1]!));
  }
  const sortedClean = [...clean].sort((a, b) => a - b);
  const medianClean = medianOfSorted(sortedClean);
  const normalizedMedianSuccessiveDifference =
    diffs.length > 0 && medianClean > 0 ? medianOfSorted(diffs.sort((a, b) => a - b)) / medianClean : 0;
  return {
    rrCount: n,
    meanRrMs,
    normalizedRmssd,
    shannonEntropy: histogramEntropy(sortedClean),
    turningPointRatio: turningPointRatio(clean),
    normalizedMedianSuccessiveDifference,
    ectopicShare: n > 0 ? (n - clean.length) / n : 0,
    cleanDifferenceCount: diffs.length,
  };
}

function medianOfSorted(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Entropy of a 16-bin histogram of the trimmed intervals, normalised to 0..1. */
function histogramEntropy(sorted: readonly number[]): number {
  const trim = Math.floor(sorted.length * TRIM_FRACTION);
  const kept = sorted.slice(trim, sorted.length - trim);
  if (kept.length < 2) return 0;
  const low = kept[0]!;
  const high = kept[kept.length - 1]!;
  if (high <= low) return 0;
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const rr of kept) {
    const bin = Math.min(HISTOGRAM_BINS - 1, Math.floor(((rr - low) / (high - low)) * HISTOGRAM_BINS));
    counts[bin]! += 1;
  }
  let entropy = 0;
  for (const c of counts) {
    if (c === 0) continue;
    const p = c / kept.length;
    entropy -= p * Math.log(p);
  }
  return entropy / Math.log(HISTOGRAM_BINS);
}

/** Share of interior points that are local extremes; about 2/3 for a random series. */
function turningPointRatio(rrMs: readonly number[]): number {
  if (rrMs.length < 3) return 0;
  let turns = 0;
  for (let i = 1; i + 1 < rrMs.length; i++) {
    const a = rrMs[i - 1]!,
      b = rrMs[i]!,
      c = rrMs[i + 1]!;
    if ((b > a && b > c) || (b < a && b < c)) turns++;
  }
  return turns / (rrMs.length - 2);
}

// AF: the typical successive difference is over a tenth of the typical interval, and the
// intervals spread over the histogram rather than sitting in two or three values (bigeminy,
// trigeminy, regular rhythm with isolated ectopics).
const AF_MEDIAN_SUCCESSIVE_DIFFERENCE = 0.1;
const AF_MIN_ENTROPY = 0.5;
const MIN_CLASSIFIABLE_RR = 8;
// Irregular but patterned, or rates outside 40–150 bpm: not plain sinus rhythm.
const OTHER_NORMALIZED_RMSSD = 0.15;
const SINUS_MIN_RR_MS = 400;
const SINUS_MAX_RR_MS = 1500;

export function classifyRrRhythm(m: RrIrregularity): RrRhythm {
  if (m.rrCount < MIN_CLASSIFIABLE_RR) return 'other';
  if (m.cleanDifferenceCount < MIN_CLASSIFIABLE_RR) return m.ectopicShare > 0 ? 'other' : 'sinus';
  if (m.normalizedMedianSuccessiveDifference >= AF_MEDIAN_SUCCESSIVE_DIFFERENCE && m.shannonEntropy >= AF_MIN_ENTROPY) return 'af';
  if (m.normalizedRmssd > OTHER_NORMALIZED_RMSSD || m.meanRrMs < SINUS_MIN_RR_MS || m.meanRrMs > SINUS_MAX_RR_MS) return 'other';
  return 'sinus';
}
