/**
 * Synthetic single-lead ECG with exactly known beats, for tests, benchmarks and the demo chunk.
 * Each beat is a sum of Gaussian waves (P, Q, R, S, T) in µV, with an optional ST shift
 * between the J point and the T wave, and optional noise from a seeded generator.
 */
export interface SyntheticBeatShape {
  rAmplitudeUv?: number;
  /** Wide, tall, opposite-polarity complex like a PVC. */
  ventricular?: boolean;
  tAmplitudeUv?: number;
  /** Seconds from the R peak to the T wave's apex; 0.3 unless given. */
  tDelaySeconds?: number;
  stShiftUv?: number;
}

export interface SyntheticEcgOptions {
  sampleRateHz: number;
  /** Times of the R peaks in seconds. */
  beatTimes: readonly number[];
  durationSeconds: number;
  shape?: SyntheticBeatShape;
  /** Per-beat overrides, by beat index. */
  shapes?: ReadonlyMap<number, SyntheticBeatShape>;
  polarity?: 1 | -1;
  whiteNoiseUv?: number;
  baselineWanderUv?: number;
  /** Amplitude of atrial fibrillatory waves: two oscillations drifting over 4–7 Hz. */
  fibrillatoryWavesUv?: number;
  seed?: number;
}

export interface SyntheticEcg {
  samples: Float64Array;
  beatSamples: number[];
}

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Beat times for a list of RR intervals (s), starting at `firstBeat` seconds. */
export function beatTimesFromRr(rrSeconds: readonly number[], firstBeat = 0.5): number[] {
  const times = [firstBeat];
  for (const rr of rrSeconds) times.push(times[times.length - 1]! + rr);
  return times;
}

/** Beat times at a constant rate filling `durationSeconds`. */
export function regularBeatTimes(bpm: number, durationSeconds: number, firstBeat = 0.5): number[] {
  const times: number[] = [];
  for (let t = firstBeat; t < durationSeconds - 0.5; t += 60 / bpm) times.push(t);
  return times;
}

export function syntheticEcg(options: SyntheticEcgOptions): SyntheticEcg {
  const fs = options.sampleRateHz;
  const n = Math.round(options.durationSeconds * fs);
  const samples = new Float64Array(n);
  const polarity = options.polarity ?? 1;
  const beatSamples: number[] = [];
  options.beatTimes.forEach((time, index) => {
    const shape = { ...options.shape, ...options.shapes?.get(index) };
    addBeat(samples, fs, time, shape, polarity);
    beatSamples.push(Math.round(time * fs));
  });
  const random = seededRandom(options.seed ?? 1);
  const noise = options.whiteNoiseUv ?? 0;
  const wander = options.baselineWanderUv ?? 0;
  const fibrillation = options.fibrillatoryWavesUv ?? 0;
  let fast = 0;
  let slow = 0;
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    if (noise > 0) samples[i]! += noise * gaussian(random);
    if (wander > 0) samples[i]! += wander * (Math.sin(2 * Math.PI * 0.3 * t) + 0.5 * Math.sin(2 * Math.PI * 0.07 * t + 1));
    if (fibrillation > 0) {
      fast += (2 * Math.PI * (5.8 + 0.8 * Math.sin(0.9 * t))) / fs;
      slow += (2 * Math.PI * (4.6 + 0.5 * Math.sin(0.4 * t + 1))) / fs;
      samples[i]! += fibrillation * (0.7 * Math.sin(fast) + 0.4 * Math.sin(slow));
    }
  }
  return { samples, beatSamples };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

type Wave = [amplitude: number, centreSeconds: number, widthSeconds: number];

function addBeat(samples: Float64Array, fs: number, time: number, shape: SyntheticBeatShape, polarity: number): void {
  const r = shape.rAmplitudeUv ?? 1200;
  const waves: Wave[] = shape.ventricular
    ? [
        [-1.3 * r, 0, 0.035],
        [0.5 * r, 0.09, 0.04],
        [0.35 * r, 0.33, 0.06],
      ]
    : [
        [150, -0.16, 0.02],
        [-100, -0.025, 0.008],
        [r, 0, 0.01],
        [-250, 0.025, 0.008],
        [shape.tAmplitudeUv ?? 300, shape.tDelaySeconds ?? 0.3, 0.04],
      ];
  const st = shape.stShiftUv ?? 0;
  const from = Math.max(0, Math.floor((time - 0.35) * fs));
  const to = Math.min(samples.length - 1, Math.ceil((time + 0.65) * fs));
  for (let i = from; i <= to; i++) {
    const t = i / fs - time;
    let v = 0;
    for (const [amplitude, centre, width] of waves) v += amplitude * Math.exp(-((t - centre) ** 2) / (2 * width * width));
    if (st !== 0) v += st * plateau(t, 0.04, 0.26, 0.02);
    samples[i]! += polarity * v;
  }
}

/** 1 between `start` and `end`, with raised-cosine edges of `ramp` seconds. */
function plateau(t: number, start: number, end: number, ramp: number): number {
  if (t <= start - ramp || t >= end + ramp) return 0;
  if (t < start) return 0.5 * (1 + Math.cos((Math.PI * (start - t)) / ramp));
  if (t > end) return 0.5 * (1 + Math.cos((Math.PI * (t - end)) / ramp));
  return 1;
}

/**
 * A steady rhythm in int16 µV, as a device would send it: `heartRateBpm` for `seconds` at
 * `sampleRateHz`, with the T wave moving with the rate (QT ∝ √RR) so fast rates stay clean.
 */
export function regularRhythmEcg(options: { sampleRateHz: number; seconds: number; heartRateBpm: number }): {
  samples: Int16Array;
  beatSamples: number[];
} {
  const rrSeconds = 60 / options.heartRateBpm;
  const ecg = syntheticEcg({
    sampleRateHz: options.sampleRateHz,
    beatTimes: regularBeatTimes(options.heartRateBpm, options.seconds, rrSeconds / 2),
    durationSeconds: options.seconds,
    shape: { tDelaySeconds: 0.3 * Math.sqrt(Math.min(1, rrSeconds)) },
  });
  return { samples: Int16Array.from(ecg.samples, (value) => Math.round(value)), beatSamples: ecg.beatSamples };
}
