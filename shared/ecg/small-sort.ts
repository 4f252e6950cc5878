/**
 * Insertion sort of the first `length` values, ascending. For the handful of values the
 * detector and the rate tracking take medians of, this beats the built-in sort (no
 * comparator calls, no copies). Stable; equal values (including -0 and 0) keep their order.
 */
export function sortSmall(values: Float64Array, length: number): void {
  for (let i = 1; i < length; i++) {
    const v = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > v) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = v;
  }
}

/** Median of the first `length` values of `sorted`, which must be in ascending order. */
export function medianOfSorted(sorted: Float64Array, length: number): number {
  const mid = length >> 1;
  return length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The k-th smallest (0-based) of the first `count` values: the value a full ascending sort
 * would put at index k. Keeps only the k + 1 smallest, in order, in `scratch`.
 */
export function kthSmallest(values: Float64Array, count: number, k: number, scratch: Float64Array): number {
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    if (kept === k + 1) {
      if (!(v < scratch[k]!)) continue;
      kept--;
    }
    let j = kept - 1;
    while (j >= 0 && scratch[j]! > v) {
      scratch[j + 1] = scratch[j]!;
      j--;
    }
    scratch[j + 1] = v;
    kept++;
  }
  return scratch[k]!;
}
