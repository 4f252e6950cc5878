/**
 * ST-segment deviation of the median beat: the level 60 ms after the J point (end of QRS)
 * relative to the PR-segment baseline, in mV. Beats are kept as short templates at about
 * 4 ms resolution so that the state stays small at any sample rate.
 */
export interface StMeasurement {
  deviationMv: number;
  beatsUsed: number;
}

const PRE_R_SECONDS = 0.25;
const POST_R_SECONDS = 0.45;
const BIN_SECONDS = 0.004;
/** Templates kept for the median beat. */
export const MEDIAN_BEAT_COUNT = 9;
/** Fewest templates for a median beat worth measuring. */
export const MIN_MEDIAN_BEATS = 5;

export interface BeatTemplateGeometry {
  /** Samples per bin. */
  binLength: number;
  binSeconds: number;
  preBins: number;
  postBins: number;
  totalBins: number;
}

export function templateGeometry(sampleRateHz: number): BeatTemplateGeometry {
  const binLength = Math.max(1, Math.round(BIN_SECONDS * sampleRateHz));
  const binSeconds = binLength / sampleRateHz;
  const preBins = Math.round(PRE_R_SECONDS / binSeconds);
  const postBins = Math.round(POST_R_SECONDS / binSeconds);
  return { binLength, binSeconds, preBins, postBins, totalBins: preBins + postBins + 1 };
}

/** Pointwise median of beat templates of equal length. */
export function medianBeat(templates: readonly (readonly number[])[]): number[] {
  const length = templates[0]?.length ?? 0;
  const out = new Array<number>(length);
  const column = new Float64Array(templates.length);
  for (let i = 0; i < length; i++) {
    for (let t = 0; t < templates.length; t++) column[t] = templates[t]![i]!;
    column.sort();
    const mid = column.length >> 1;
    out[i] = column.length % 2 === 1 ? column[mid]! : (column[mid - 1]! + column[mid]!) / 2;
  }
  return out;
}

/**
 * Measures a median beat (µV per bin, R wave at index `preBins`).
 * QRS onset and J point: where, walking out from the R wave (20–120 ms before it, 20–160 ms
 * after it), the slope first falls below 15% of the QRS's steepest slope (60 and 80 ms if
 * never). Baseline: the flattest 20 ms of the PR segment, in the 70 ms before QRS onset.
 * The search stays next to the onset because the top of the P wave is flat too: a baseline
 * taken there reads a P wave's height as ST depression.
 */
export function measureStDeviation(template: readonly number[], geometry: BeatTemplateGeometry): number | undefined {
  const { preBins, binSeconds } = geometry;
  const bins = (seconds: number): number => Math.max(1, Math.round(seconds / binSeconds));
  const r = preBins;
  const slopeAt = (k: number): number => Math.abs(template[k + 1]! - template[k]!);
  let steepest = 0;
  for (let k = r - bins(0.06); k < r + bins(0.06); k++) steepest = Math.max(steepest, slopeAt(k));
  const flat = (k: number): boolean => slopeAt(k) < 0.15 * steepest && slopeAt(k + 1) < 0.15 * steepest;

  let onset = r - bins(0.06);
  for (let k = r - bins(0.02); k >= Math.max(1, r - bins(0.12)); k--) {
    if (flat(k - 1)) {
      onset = k;
      break;
    }
  }
  const flatWidth = bins(0.02);
  let baseline: number | undefined;
  let flattest = Number.POSITIVE_INFINITY;
  for (let start = Math.max(0, onset - bins(0.07)); start + flatWidth <= onset; start++) {
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    let sum = 0;
    for (let k = start; k < start + flatWidth; k++) {
      const v = template[k]!;
      low = Math.min(low, v);
      high = Math.max(high, v);
      sum += v;
    }
    if (high - low < flattest) {
      flattest = high - low;
      baseline = sum / flatWidth;
    }
  }
  if (baseline === undefined) return undefined;

  let j = r + bins(0.08);
  for (let k = r + bins(0.02); k < r + bins(0.16); k++) {
    if (flat(k)) {
      j = k;
      break;
    }
  }
  const st = template[j + bins(0.06)];
  if (st === undefined) return undefined;
  return (st - baseline) / 1000;
}
