// Synthetic ECG with exactly known beats, in int16 µV: narrow QRS complexes with P and T
// waves on a flat baseline, at a chosen heart rate and sample rate.

export interface SyntheticEcgOptions {
  sampleRateHz: number;
  seconds: number;
  heartRateBpm: number;
  /** R-wave height in µV. */
  amplitudeUv?: number;
}

const gaussian = (t: number, centre: number, width: number) => Math.exp(-0.5 * ((t - centre) / width) ** 2);

export function syntheticEcg(options: SyntheticEcgOptions): { samples: Int16Array; beats: number[] } {
  const { sampleRateHz, seconds, heartRateBpm } = options;
  const amplitude = options.amplitudeUv ?? 1200;
  const length = Math.round(sampleRateHz * seconds);
  const samples = new Float64Array(length);
  const rr = 60 / heartRateBpm;
  const beats: number[] = [];
  // Ventricular repolarisation shortens as the heart speeds up (QT ∝ √RR, Bazett), so the T
  // wave moves with the rate instead of running into the next P wave.
  const qtScale = Math.sqrt(rr);
  for (let r = rr / 2; r < seconds; r += rr) {
    beats.push(Math.round(r * sampleRateHz));
    const from = Math.max(0, Math.floor((r - 0.3) * sampleRateHz));
    const to = Math.min(length, Math.ceil((r + 0.45 * qtScale) * sampleRateHz));
    for (let i = from; i < to; i++) {
      const t = i / sampleRateHz;
      samples[i]! +=
        0.12 * amplitude * gaussian(t, r - 0.16, 0.02) + // P
        -0.1 * amplitude * gaussian(t, r - 0.03, 0.008) + // Q
        amplitude * gaussian(t, r, 0.01) + // R
        -0.2 * amplitude * gaussian(t, r + 0.03, 0.008) + // S
        0.25 * amplitude * gaussian(t, r + 0.25 * qtScale, 0.05 * qtScale); // T
    }
  }
  return { samples: Int16Array.from(samples, (value) => Math.round(value)), beats };
}
