/** Beat-by-beat comparison of detected R peaks with reference annotations (ANSI/AAMI EC57 style). */
export interface BeatMatch {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Se = TP / (TP + FN). */
  sensitivity: number;
  /** +P = TP / (TP + FP). */
  positivePredictivity: number;
}

/**
 * One-to-one matching within ±`toleranceSamples`: closest pairs are matched first, so a
 * detection can never count for two reference beats.
 */
export function matchBeats(reference: readonly number[], detected: readonly number[], toleranceSamples: number): BeatMatch {
  const ref = [...reference].sort((a, b) => a - b);
  const det = [...detected].sort((a, b) => a - b);
  const pairs: Array<[distance: number, r: number, d: number]> = [];
  let first = 0;
  for (let r = 0; r < ref.length; r++) {
    const at = ref[r]!;
    while (first < det.length && det[first]! < at - toleranceSamples) first++;
    for (let d = first; d < det.length && det[d]! <= at + toleranceSamples; d++) pairs.push([Math.abs(det[d]! - at), r, d]);
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const refUsed = new Uint8Array(ref.length);
  const detUsed = new Uint8Array(det.length);
  let tp = 0;
  for (const [, r, d] of pairs) {
    if (refUsed[r] === 1 || detUsed[d] === 1) continue;
    refUsed[r] = 1;
    detUsed[d] = 1;
    tp++;
  }
  const fn = ref.length - tp;
  const fp = det.length - tp;
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    sensitivity: tp + fn === 0 ? 1 : tp / (tp + fn),
    positivePredictivity: tp + fp === 0 ? 1 : tp / (tp + fp),
  };
}

/** The ±150 ms window of the standard, in samples. */
export function matchToleranceSamples(sampleRateHz: number): number {
  return Math.round(0.15 * sampleRateHz);
}
