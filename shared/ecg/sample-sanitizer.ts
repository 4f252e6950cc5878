import { ABSURD_MICROVOLTS } from './signal-quality.ts';

export type Samples = Int16Array | Float32Array | Float64Array | readonly number[];

/**
 * Copies a chunk to float64 µV for the analysis. Non-finite values are replaced by the last
 * valid one and values at or beyond the int16 µV range are clamped; both are flagged in
 * `invalid` so the quality check can count them. Nothing here throws on bad data.
 */
export function sanitizeSamples(samples: Samples, lastValid: number): { values: Float64Array; invalid: Uint8Array; invalidCount: number; lastValidValue: number } {
  const n = samples.length;
  const values = scratchValues(n);
  const invalid = scratchInvalid(n);
  let invalidCount = 0;
  let last = lastValid;
  if (samples instanceof Int16Array) {
    for (let i = 0; i < n; i++) {
      const v = samples[i]!;
      values[i] = v;
      // int16 µV at its rails is a saturated front end.
      if (v >= ABSURD_MICROVOLTS || v <= -ABSURD_MICROVOLTS) {
        invalid[i] = 1;
        invalidCount++;
      }
    }
    last = n > 0 ? samples[n - 1]! : last;
  } else {
    for (let i = 0; i < n; i++) {
      const raw = samples[i];
      const v = typeof raw === 'number' ? raw : Number.NaN;
      if (v > -ABSURD_MICROVOLTS && v < ABSURD_MICROVOLTS) {
        values[i] = v;
        last = v;
      } else {
        invalid[i] = 1;
        invalidCount++;
        values[i] = v >= ABSURD_MICROVOLTS ? ABSURD_MICROVOLTS : v <= -ABSURD_MICROVOLTS ? -ABSURD_MICROVOLTS : last;
      }
    }
  }
  return { values, invalid, invalidCount, lastValidValue: last };
}

// Per-call working buffers, reused across calls: analysis is synchronous, so one set is enough
// and a long chunk does not cost a fresh multi-megabyte allocation every time.
let valuesBuffer = new Float64Array(0);
let bandPassBuffer = new Float64Array(0);
let invalidBuffer = new Uint8Array(0);

function scratchValues(length: number): Float64Array {
  if (valuesBuffer.length < length) valuesBuffer = new Float64Array(length);
  return valuesBuffer.subarray(0, length);
}

export function scratchBandPass(length: number): Float64Array {
  if (bandPassBuffer.length < length) bandPassBuffer = new Float64Array(length);
  return bandPassBuffer.subarray(0, length);
}

function scratchInvalid(length: number): Uint8Array {
  if (invalidBuffer.length < length) invalidBuffer = new Uint8Array(length);
  const view = invalidBuffer.subarray(0, length);
  view.fill(0);
  return view;
}
