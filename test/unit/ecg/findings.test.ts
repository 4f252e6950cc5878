import { describe, expect, it } from 'vitest';
import { analyzeChunk, analyzeRecording, createEcgStream, finishEcgStream, type EcgFinding } from '../../../shared/ecg/ecg-stream.ts';
import { beatTimesFromRr, regularBeatTimes, seededRandom, syntheticEcg } from '../../../shared/ecg/synthetic-ecg.ts';

const FS = 250;

function kinds(findings: EcgFinding[]): string[] {
  return [...new Set(findings.map((f) => (f.kind === 'signal_quality' ? `signal_quality:${f.issue}` : f.kind)))].sort();
}

function regular(bpm: number, seconds: number, extra: Partial<Parameters<typeof syntheticEcg>[0]> = {}): ReturnType<typeof syntheticEcg> {
  return syntheticEcg({ sampleRateHz: FS, beatTimes: regularBeatTimes(bpm, seconds), durationSeconds: seconds, ...extra });
}

describe('rate findings', () => {
  it('a steady 75 bpm rhythm gives no findings and sinus rhythm', () => {
    const result = analyzeRecording(regular(75, 60).samples, FS);
    expect(result.findings).toEqual([]);
    expect(result.summary.rhythm).toBe('sinus');
    expect(result.summary.heartRate?.meanBpm).toBeCloseTo(75, 1);
  });

  it('40 bpm is bradycardia at 40 bpm over the whole recording', () => {
    const ecg = regular(40, 60);
    const findings = analyzeRecording(ecg.samples, FS).findings;
    expect(kinds(findings)).toEqual(['bradycardia']);
    const brady = findings[0] as Extract<EcgFinding, { heartRateBpm: number }>;
    expect(brady.heartRateBpm).toBeCloseTo(40, 1);
    // The first rate needs four intervals: the episode starts at the fourth beat.
    expect(brady.startSample).toBe(ecg.beatSamples[3]);
    expect(brady.endSample).toBe(ecg.beatSamples[ecg.beatSamples.length - 1]);
  });

  it('130 bpm is tachycardia at 130 bpm; the limits are configurable', () => {
    const ecg = regular(130, 60);
    const findings = analyzeRecording(ecg.samples, FS).findings;
    expect(kinds(findings)).toEqual(['st_deviation', 'tachycardia'].filter((k) => findings.some((f) => f.kind === k)));
    const tachy = findings.find((f) => f.kind === 'tachycardia') as Extract<EcgFinding, { heartRateBpm: number }>;
    expect(tachy.heartRateBpm).toBeCloseTo(130, 0);
    expect(analyzeRecording(ecg.samples, FS, { tachycardiaBpm: 140 }).findings.some((f) => f.kind === 'tachycardia')).toBe(false);
    expect(kinds(analyzeRecording(regular(55, 60).samples, FS, { bradycardiaBpm: 60 }).findings)).toEqual(['bradycardia']);
  });
});

describe('fast rhythms are not mistaken for noise', () => {
  it('a regular wide-complex tachycardia at 260 bpm is tachycardia with every beat found', () => {
    const ecg = regular(260, 40, { shape: { ventricular: true, rAmplitudeUv: 1000 } });
    const result = analyzeRecording(ecg.samples, FS);
    expect(result.beats).toHaveLength(ecg.beatSamples.length);
    expect(result.quality.every((w) => w.usable)).toBe(true);
    const tachy = result.findings.find((f) => f.kind === 'tachycardia') as Extract<EcgFinding, { heartRateBpm: number }>;
    expect(tachy.heartRateBpm).toBeCloseTo(260, -1);
  });
});

describe('pause', () => {
  const rr = [...new Array<number>(20).fill(0.8), 3.2, ...new Array<number>(20).fill(0.8)];
  const times = beatTimesFromRr(rr);
  const ecg = syntheticEcg({ sampleRateHz: FS, beatTimes: times, durationSeconds: times[times.length - 1]! + 1, whiteNoiseUv: 10 });

  it('a 3.2 s gap is one pause of 3.2 s between the two beats around it', () => {
    const pauses = analyzeRecording(ecg.samples, FS).findings.filter((f) => f.kind === 'pause');
    expect(pauses).toEqual([{ kind: 'pause', rrSeconds: 3.2, startSample: ecg.beatSamples[20], endSample: ecg.beatSamples[21] }]);
  });

  it.each([8, 12])('a %i s pause in 20 µV of noise is one pause of that length, with no beat found inside it', (seconds) => {
    const around = beatTimesFromRr([...new Array<number>(20).fill(0.9), seconds, ...new Array<number>(10).fill(0.9)]);
    const paused = syntheticEcg({
      sampleRateHz: FS,
      beatTimes: around,
      durationSeconds: around[around.length - 1]! + 1,
      whiteNoiseUv: 20,
      seed: 3,
    });
    const result = analyzeRecording(paused.samples, FS);
    const pauses = result.findings.filter((f) => f.kind === 'pause');
    expect(pauses).toEqual([{ kind: 'pause', rrSeconds: seconds, startSample: paused.beatSamples[20], endSample: paused.beatSamples[21] }]);
    expect(result.beats.filter((b) => b > paused.beatSamples[20]! && b < paused.beatSamples[21]!)).toEqual([]);
  });

  it('is not a pause when the limit is set above it', () => {
    expect(analyzeRecording(ecg.samples, FS, { pauseSeconds: 3.5 }).findings.filter((f) => f.kind === 'pause')).toEqual([]);
  });
});

describe('irregular rhythm', () => {
  it('random RR over 60 s is irregular rhythm and AF; regular bigeminy is not', () => {
    const random = seededRandom(5);
    const rr = Array.from({ length: 90 }, () => 0.45 + 0.6 * random());
    const times = beatTimesFromRr(rr);
    const af = analyzeRecording(
      syntheticEcg({ sampleRateHz: FS, beatTimes: times, durationSeconds: times[times.length - 1]! + 1 }).samples,
      FS,
    );
    const irregular = af.findings.filter((f) => f.kind === 'irregular_rhythm');
    expect(irregular.length).toBeGreaterThanOrEqual(1);
    expect((irregular[0] as Extract<EcgFinding, { kind: 'irregular_rhythm' }>).measures.windowSeconds).toBeGreaterThanOrEqual(30);
    expect(af.summary.rhythm).toBe('af');

    const bigeminy = beatTimesFromRr(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 0.55 : 1.0)));
    const patterned = analyzeRecording(
      syntheticEcg({ sampleRateHz: FS, beatTimes: bigeminy, durationSeconds: bigeminy[bigeminy.length - 1]! + 1 }).samples,
      FS,
    );
    expect(patterned.findings.filter((f) => f.kind === 'irregular_rhythm')).toEqual([]);
    expect(patterned.summary.rhythm).toBe('other');
  });

  it('AF with coarse fibrillatory waves (80 µV at 4–7 Hz) beside a 600 µV QRS stays usable and is AF, not noise', () => {
    const random = seededRandom(4);
    const times = beatTimesFromRr(Array.from({ length: 100 }, () => 0.4 + 0.6 * random()));
    const ecg = syntheticEcg({
      sampleRateHz: FS,
      beatTimes: times,
      durationSeconds: times[times.length - 1]! + 1,
      whiteNoiseUv: 10,
      fibrillatoryWavesUv: 80,
      shape: { rAmplitudeUv: 600, tAmplitudeUv: 200 },
    });
    const result = analyzeRecording(ecg.samples, FS);
    expect(result.summary.unusableSeconds).toBe(0);
    expect(result.summary.rhythm).toBe('af');
    expect(kinds(result.findings)).toContain('irregular_rhythm');
  });

  it('sinus rhythm with frequent random premature beats is not AF', () => {
    const random = seededRandom(21);
    const rr: number[] = [];
    while (rr.length < 100) {
      // A quarter of beats premature (60% of the cycle) with a full compensatory pause.
      if (random() < 0.25) rr.push(0.5, 1.1);
      else rr.push(0.8 + 0.04 * (random() - 0.5));
    }
    const times = beatTimesFromRr(rr);
    const shapes = new Map(times.map((_, i) => [i, { ventricular: rr[i - 1] === 0.5 }]));
    const result = analyzeRecording(
      syntheticEcg({ sampleRateHz: FS, beatTimes: times, durationSeconds: times[times.length - 1]! + 1, shapes }).samples,
      FS,
    );
    expect(result.findings.filter((f) => f.kind === 'irregular_rhythm')).toEqual([]);
    expect(result.summary.rhythm).not.toBe('af');
  });

  it('needs at least 30 s of RR before it is reported', () => {
    const random = seededRandom(9);
    const rr = Array.from({ length: 30 }, () => 0.45 + 0.6 * random());
    const times = beatTimesFromRr(rr);
    const short = analyzeRecording(syntheticEcg({ sampleRateHz: FS, beatTimes: times, durationSeconds: 25 }).samples, FS);
    expect(short.findings.filter((f) => f.kind === 'irregular_rhythm')).toEqual([]);
  });
});

describe('HRV', () => {
  it('alternating 800/900 ms gives SDNN 50 ms, RMSSD 100 ms and pNN50 1', () => {
    const times = beatTimesFromRr(Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? 0.8 : 0.9)));
    const { summary } = analyzeRecording(
      syntheticEcg({ sampleRateHz: FS, beatTimes: times, durationSeconds: times[times.length - 1]! + 1 }).samples,
      FS,
    );
    expect(summary.hrv?.rmssdMs).toBeCloseTo(100, 6);
    expect(summary.hrv?.sdnnMs).toBeCloseTo(50, 0);
    expect(summary.hrv?.pnn50).toBe(1);
    expect(summary.hrv?.windowSeconds).toBeCloseTo(68, 6);
  });

  it('is absent per chunk until 30 s of RR are available', () => {
    const ecg = regular(60, 60);
    let state = createEcgStream(FS);
    const first = analyzeChunk(state, ecg.samples.subarray(0, 20 * FS));
    expect(first.result.hrv).toBeUndefined();
    state = first.state;
    const second = analyzeChunk(state, ecg.samples.subarray(20 * FS));
    expect(second.result.hrv?.windowSeconds).toBeGreaterThanOrEqual(30);
    expect(second.result.hrv?.sdnnMs).toBeCloseTo(0, 6);
  });
});

describe('ST deviation', () => {
  it.each([
    [200, 0.2],
    [-150, -0.15],
  ])('an ST shift of %i µV is an st_deviation of %f mV', (shift, mv) => {
    const result = analyzeRecording(regular(70, 30, { shape: { stShiftUv: shift } }).samples, FS);
    const st = result.findings.filter((f) => f.kind === 'st_deviation') as Array<Extract<EcgFinding, { kind: 'st_deviation' }>>;
    expect(st.length).toBe(1);
    expect(st[0]!.deviationMv).toBeCloseTo(mv, 2);
    expect(result.summary.stDeviationMv).toBeCloseTo(mv, 2);
  });

  it.each([50, 60, 80, 100, 120])('reads no ST deviation from normal beats with a P wave and 20 µV of noise at %i bpm', (bpm) => {
    // The top of the P wave is as flat as the PR segment; a baseline taken there reads ST depression.
    const result = analyzeRecording(regular(bpm, 60, { whiteNoiseUv: 20, seed: 2 }).samples, FS);
    expect(result.findings.filter((f) => f.kind === 'st_deviation')).toEqual([]);
    expect(Math.abs(result.summary.stDeviationMv ?? 1)).toBeLessThan(0.03);
  });

  it('a 50 µV shift stays below the 0.1 mV limit', () => {
    const result = analyzeRecording(regular(70, 30, { shape: { stShiftUv: 50 } }).samples, FS);
    expect(result.findings.filter((f) => f.kind === 'st_deviation')).toEqual([]);
    expect(result.summary.stDeviationMv).toBeCloseTo(0.05, 2);
  });
});

describe('signal quality', () => {
  it('a flat line is flat_line, unusable, with no clinical finding', () => {
    const result = analyzeRecording(new Float64Array(30 * FS).fill(120), FS);
    expect(kinds(result.findings)).toEqual(['signal_quality:flat_line']);
    expect(result.quality.every((w) => !w.usable && w.issues.includes('flat_line'))).toBe(true);
    expect(result.summary.rhythm).toBe('noisy');
    expect(result.beats).toEqual([]);
  });

  it('a lead that goes flat for 10 s mid-recording gives a technical finding, not a pause', () => {
    const ecg = regular(70, 60);
    ecg.samples.fill(0, 20 * FS, 30 * FS);
    const findings = analyzeRecording(ecg.samples, FS).findings;
    expect(kinds(findings)).toEqual(['signal_quality:flat_line']);
    const flat = findings[0]!;
    expect(flat.startSample).toBeGreaterThanOrEqual(19 * FS);
    expect(flat.endSample).toBeLessThanOrEqual(31 * FS);
  });

  it('a signal pinned at the int16 rail is saturation', () => {
    const samples = new Int16Array(20 * FS).fill(32767);
    expect(kinds(analyzeRecording(samples, FS).findings)).toEqual(['signal_quality:saturation']);
  });

  it('QRS complexes clipped by the amplifier are saturation', () => {
    const ecg = regular(75, 30, { shape: { rAmplitudeUv: 3000 } });
    const clipped = ecg.samples.map((v) => Math.min(v, 400));
    expect(kinds(analyzeRecording(clipped, FS).findings)).toContain('signal_quality:saturation');
  });

  it('heavy broadband noise is high_noise with no clinical finding', () => {
    const ecg = regular(40, 30, { whiteNoiseUv: 600, seed: 4 });
    const result = analyzeRecording(ecg.samples, FS);
    expect(kinds(result.findings)).toEqual(['signal_quality:high_noise']);
    expect(result.summary.unusableSeconds).toBeGreaterThan(25);
  });

  it('moderate noise on a clear ECG stays usable', () => {
    const result = analyzeRecording(regular(75, 30, { whiteNoiseUv: 40, baselineWanderUv: 500, seed: 8 }).samples, FS);
    expect(result.quality.every((w) => w.usable)).toBe(true);
  });
});

describe('per-chunk results', () => {
  it('reports each beat once, with positions and rates per chunk', () => {
    const ecg = regular(60, 30);
    let state = createEcgStream(FS);
    const beats: number[] = [];
    for (let at = 0; at < ecg.samples.length; at += 5 * FS) {
      const { state: next, result } = analyzeChunk(state, ecg.samples.subarray(at, at + 5 * FS));
      expect(result.startSample).toBe(at);
      expect(result.sampleCount).toBe(5 * FS);
      expect(result.usable).toBe(true);
      if (result.heartRate) expect(result.heartRate.meanBpm).toBeCloseTo(60, 6);
      beats.push(...result.beats);
      state = next;
    }
    const end = finishEcgStream(state);
    beats.push(...end.result.beats);
    expect(beats).toEqual(ecg.beatSamples);
    expect(end.summary).toMatchObject({ analyzedSeconds: 30, beatCount: ecg.beatSamples.length, rhythm: 'sinus', unusableSeconds: 0 });
  });
});
