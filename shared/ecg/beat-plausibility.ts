import type { QualityWindow } from './signal-quality.ts';

/**
 * Rules that refine a quality window's verdict from the beats detected around it. Beats come
 * as [R-peak sample, confirmed-at sample] pairs sorted by peak; only beats confirmed by the
 * window's end are used, so the verdict is the same however the recording was chunked.
 */

// Noise makes a detector's beats irregular; a window whose beats keep a steady rhythm is
// carrying ECG even when its 5–15 Hz band is busy (fast or wide-complex rhythms).
const REGULARITY_LOOKBACK_SECONDS = 2;
const MIN_REGULARITY_INTERVALS = 4;
const REGULAR_TOLERANCE = 0.15;
const REGULAR_SHARE = 0.75;

export function regularBeatsAround(beats: readonly number[], window: QualityWindow, fs: number): boolean {
  const from = window.startSample - REGULARITY_LOOKBACK_SECONDS * fs;
  const peaks: number[] = [];
  for (let k = firstPairAtOrAfter(beats, from); k + 1 < beats.length && beats[k]! < window.endSample; k += 2) {
    const peak = beats[k]!;
    // Only beats already confirmed when the window closed, so the answer is the same however the recording was chunked.
    if (peak >= from && peak < window.endSample && beats[k + 1]! <= window.endSample) peaks.push(peak);
  }
  if (peaks.length < MIN_REGULARITY_INTERVALS + 1) return false;
  const rr = peaks.slice(1).map((p, i) => p - peaks[i]!);
  const typical = median(rr);
  const steady = rr.filter((x) => Math.abs(x - typical) <= REGULAR_TOLERANCE * typical).length;
  return steady >= REGULAR_SHARE * rr.length;
}

// An interval this short (above 240 bpm) between detections means noise is being read as beats.
const IMPLAUSIBLE_RR_SECONDS = 0.25;
const IMPLAUSIBLE_RR_COUNT = 1;

export function implausiblyCloseBeats(beats: readonly number[], window: QualityWindow, fs: number): boolean {
  let previous = -1;
  let close = 0;
  for (let k = firstPairAtOrAfter(beats, window.startSample); k + 1 < beats.length && beats[k]! < window.endSample; k += 2) {
    const peak = beats[k]!;
    if (beats[k + 1]! > window.endSample) continue;
    if (previous >= 0 && peak - previous < IMPLAUSIBLE_RR_SECONDS * fs) close++;
    previous = peak;
  }
  return close >= IMPLAUSIBLE_RR_COUNT;
}

/** Index of the first [peak, confirmedAt] pair with peak >= sample (pairs sorted by peak). */
function firstPairAtOrAfter(beats: readonly number[], sample: number): number {
  let low = 0;
  let high = beats.length >> 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (beats[2 * mid]! < sample) low = mid + 1;
    else high = mid;
  }
  return 2 * low;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
