/** Heart rate and heart-rate variability from RR intervals (milliseconds). */
export interface HeartRate {
  meanBpm: number;
  minBpm: number;
  maxBpm: number;
}

export interface Hrv {
  sdnnMs: number;
  rmssdMs: number;
  /** Share (0..1) of successive differences above 50 ms. */
  pnn50: number;
  windowSeconds: number;
}

/** HRV needs at least this much RR time to mean anything (short-term HRV convention). */
export const MIN_HRV_SECONDS = 30;

/** Mean rate from the mean interval; min and max from the longest and shortest interval. */
export function heartRateFromRr(rrMs: readonly number[]): HeartRate | undefined {
  if (rrMs.length === 0) return undefined;
  let sum = 0;
  let shortest = Number.POSITIVE_INFINITY;
  let longest = 0;
  for (const rr of rrMs) {
    sum += rr;
    if (rr < shortest) shortest = rr;
    if (rr > longest) longest = rr;
  }
  return { meanBpm: 60000 / (sum / rrMs.length), minBpm: 60000 / longest, maxBpm: 60000 / shortest };
}

/**
 * Running totals over a whole recording, so the per-recording HRV needs no RR history.
 * Successive differences are only taken between intervals that follow each other directly.
 */
export interface RrAccumulator {
  count: number;
  meanMs: number;
  /** Sum of squared deviations from the mean (Welford). */
  m2: number;
  shortestMs: number;
  longestMs: number;
  differenceCount: number;
  differenceSquares: number;
  nn50: number;
  totalMs: number;
}

export function createRrAccumulator(): RrAccumulator {
  return { count: 0, meanMs: 0, m2: 0, shortestMs: 0, longestMs: 0, differenceCount: 0, differenceSquares: 0, nn50: 0, totalMs: 0 };
}

/** Adds one interval; `previousMs` is the interval just before it, if it was usable too. */
export function addRr(acc: RrAccumulator, rrMs: number, previousMs: number | undefined): void {
  acc.count += 1;
  const delta = rrMs - acc.meanMs;
  acc.meanMs += delta / acc.count;
  acc.m2 += delta * (rrMs - acc.meanMs);
  acc.shortestMs = acc.count === 1 ? rrMs : Math.min(acc.shortestMs, rrMs);
  acc.longestMs = Math.max(acc.longestMs, rrMs);
  acc.totalMs += rrMs;
  if (previousMs !== undefined) {
    const d = rrMs - previousMs;
    acc.differenceCount += 1;
    acc.differenceSquares += d * d;
    if (Math.abs(d) > 50) acc.nn50 += 1;
  }
}

export function heartRateFromAccumulator(acc: RrAccumulator): HeartRate | undefined {
  if (acc.count === 0) return undefined;
  return { meanBpm: 60000 / acc.meanMs, minBpm: 60000 / acc.longestMs, maxBpm: 60000 / acc.shortestMs };
}

export function hrvFromAccumulator(acc: RrAccumulator): Hrv | undefined {
  if (acc.totalMs < MIN_HRV_SECONDS * 1000 || acc.count < 2 || acc.differenceCount === 0) return undefined;
  return {
    sdnnMs: Math.sqrt(acc.m2 / (acc.count - 1)),
    rmssdMs: Math.sqrt(acc.differenceSquares / acc.differenceCount),
    pnn50: acc.nn50 / acc.differenceCount,
    windowSeconds: acc.totalMs / 1000,
  };
}

/**
 * HRV over the most recent usable intervals reaching back at least `minSeconds`.
 * `contiguous[i]` tells whether interval i directly follows interval i-1.
 */
export function hrvOfRecent(rrMs: readonly number[], contiguous: readonly boolean[], minSeconds: number): Hrv | undefined {
  const acc = createRrAccumulator();
  let first = rrMs.length;
  let total = 0;
  while (first > 0 && total < minSeconds * 1000) {
    first -= 1;
    total += rrMs[first]!;
  }
  if (total < minSeconds * 1000) return undefined;
  for (let i = first; i < rrMs.length; i++) addRr(acc, rrMs[i]!, i > first && contiguous[i] === true ? rrMs[i - 1] : undefined);
  return hrvFromAccumulator(acc);
}
