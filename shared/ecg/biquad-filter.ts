/** Coefficients of one second-order section, normalised so that a0 = 1. */
export interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

// Bilinear-transform designs (R. Bristow-Johnson's audio EQ cookbook): exact at any
// sample rate, so one detector design serves 125 Hz to 1000 Hz.
export function lowPassBiquad(cutoffHz: number, sampleRateHz: number, q: number): BiquadCoefficients {
  const w0 = (2 * Math.PI * cutoffHz) / sampleRateHz;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  return { b0: (1 - cos) / 2 / a0, b1: (1 - cos) / a0, b2: (1 - cos) / 2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

export function highPassBiquad(cutoffHz: number, sampleRateHz: number, q: number): BiquadCoefficients {
  const w0 = (2 * Math.PI * cutoffHz) / sampleRateHz;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  return { b0: (1 + cos) / 2 / a0, b1: -(1 + cos) / a0, b2: (1 + cos) / 2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** Q factors of the two sections of a 4th-order Butterworth filter. */
export const BUTTERWORTH_4_Q = [0.5411961, 1.306563] as const;
export const BUTTERWORTH_2_Q = Math.SQRT1_2;
