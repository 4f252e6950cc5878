import { ABSURD_MICROVOLTS } from './signal-quality.ts';

export type Samples = Int16Array | Float32Array | Float64Array | readonly number[];

/**
 * Copies a chunk to float64 µV for the analysis. Non-finite values are replaced by the last
 * valid one and values at or beyond the int16 µV range are clamped; both are flagged in
 * `invalid` so the quality check can count them. Nothing here throws on bad data.
 * `invalid` is only meaningful when `invalidCount` > 0 (it is not cleared otherwise).
 */
export function sanitizeSamples(
  samples: Samples,
  lastValid: number,
): { values: Float64Array; invalid: Uint8Array; invalidCount: number; lastValidValue: number } {
  const n = samples.length;
  const values = scratchValues(n);
  const invalid = scratchInvalid(n);
  if (samples instanceof Int16Array) {
    // int16 is always finite: a native conversion, then only the rails need a look.
    values.set(samples);
    const invalidCount = railBits(samples) < 0 ? countRails(samples) : 0;
    if (invalidCount > 0) markRails(samples, invalid);
    return { values, invalid, invalidCount, lastValidValue: n > 0 ? samples[n - 1]! : lastValid };
  }
  let invalidCount = 0;
  let last = lastValid;
  for (let i = 0; i < n; i++) {
    const raw = samples[i];
    const v = typeof raw === 'number' ? raw : Number.NaN;
    if (v > -ABSURD_MICROVOLTS && v < ABSURD_MICROVOLTS) {
      values[i] = v;
      last = v;
    } else {
      // The flags are cleared only once there is something to flag.
      if (invalidCount === 0) invalid.fill(0);
      invalid[i] = 1;
      invalidCount++;
      values[i] = v >= ABSURD_MICROVOLTS ? ABSURD_MICROVOLTS : v <= -ABSURD_MICROVOLTS ? -ABSURD_MICROVOLTS : last;
    }
  }
  return { values, invalid, invalidCount, lastValidValue: last };
}

/**
 * Sign bit set when some sample is at or beyond ±32767 (int16 µV at its rails is a saturated
 * front end). Branch-free, so a clean chunk, the usual case, costs one cheap pass. The loop
 * functions end in a bare return: code after a long loop that has never run would make V8's
 * on-stack-replaced loop code deoptimise there on every call.
 */
function railBits(samples: Int16Array): number {
  const n = samples.length;
  let outside = 0;
  for (let i = 0; i < n; i++) {
    const v = samples[i]!;
    outside |= (ABSURD_MICROVOLTS - 1 - v) | (v + ABSURD_MICROVOLTS - 1);
  }
  return outside;
}

function countRails(samples: Int16Array): number {
  let count = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    if (v >= ABSURD_MICROVOLTS || v <= -ABSURD_MICROVOLTS) count++;
  }
  return count;
}

function markRails(samples: Int16Array, invalid: Uint8Array): void {
  invalid.fill(0);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    if (v >= ABSURD_MICROVOLTS || v <= -ABSURD_MICROVOLTS) invalid[i] = 1;
  }
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
  return invalidBuffer.subarray(0, length);
}
