import { describe, expect, it } from 'vitest';
import { analyzeRecording } from '../../../shared/ecg/ecg-stream.ts';
import { matchBeats, matchToleranceSamples } from '../../../shared/ecg/beat-matching.ts';
import { loadWfdbBeatSamples, loadWfdbChannel } from '../../../shared/ecg/wfdb/wfdb-record-loader.ts';
import { fixtureMitdbRecord } from '../../support/ecg-records.ts';
import {
  beatTimesFromRr,
  regularBeatTimes,
  seededRandom,
  syntheticEcg,
  type SyntheticBeatShape,
} from '../../../shared/ecg/synthetic-ecg.ts';

/** Every expected beat found within 20 ms, and nothing else. */
function expectExactBeats(found: number[], expected: number[], fs: number): void {
  const match = matchBeats(expected, found, Math.round(0.02 * fs));
  expect({ missed: match.falseNegatives, extra: match.falsePositives }).toEqual({ missed: 0, extra: 0 });
}

describe('QRS detection on synthetic ECG', () => {
  it.each([125, 250, 360, 500, 1000])('finds every beat at %i Hz and 40, 75, 180 bpm', (fs) => {
    for (const bpm of [40, 75, 180]) {
      const ecg = syntheticEcg({ sampleRateHz: fs, beatTimes: regularBeatTimes(bpm, 30), durationSeconds: 30 });
      expectExactBeats(analyzeRecording(ecg.samples, fs).beats, ecg.beatSamples, fs);
    }
  });

  it('places R peaks on the sample of the R wave', () => {
    const ecg = syntheticEcg({ sampleRateHz: 500, beatTimes: regularBeatTimes(70, 20), durationSeconds: 20 });
    const { beats } = analyzeRecording(ecg.samples, 500);
    expect(beats).toEqual(ecg.beatSamples);
  });

  it('is unaffected by inverted polarity, baseline wander and muscle-like noise', () => {
    const ecg = syntheticEcg({
      sampleRateHz: 250,
      beatTimes: regularBeatTimes(72, 60),
      durationSeconds: 60,
      polarity: -1,
      baselineWanderUv: 800,
      whiteNoiseUv: 60,
      seed: 3,
    });
    expectExactBeats(analyzeRecording(ecg.samples, 250).beats, ecg.beatSamples, 250);
  });

  it('ignores T waves taller than the R wave', () => {
    const ecg = syntheticEcg({
      sampleRateHz: 360,
      beatTimes: regularBeatTimes(80, 40),
      durationSeconds: 40,
      shape: { rAmplitudeUv: 600, tAmplitudeUv: 900 },
    });
    expectExactBeats(analyzeRecording(ecg.samples, 360).beats, ecg.beatSamples, 360);
  });

  it('follows a fivefold drop in amplitude within seconds', () => {
    const times = regularBeatTimes(75, 60);
    const shapes = new Map<number, SyntheticBeatShape>(
      times.map((t, i) => [i, { rAmplitudeUv: t > 30 ? 240 : 1200, tAmplitudeUv: t > 30 ? 60 : 300 }]),
    );
    const ecg = syntheticEcg({ sampleRateHz: 250, beatTimes: times, durationSeconds: 60, shapes });
    const { beats } = analyzeRecording(ecg.samples, 250);
    const pastFortySeconds = (s: number[]): number[] => s.filter((b) => b > 40 * 250);
    expectExactBeats(pastFortySeconds(beats), pastFortySeconds(ecg.beatSamples), 250);
  });

  it.each([125, 250, 500])('finds every beat of a low-voltage ECG (R wave 60 µV, whole-µV samples) at %i Hz', (fs) => {
    const ecg = syntheticEcg({ sampleRateHz: fs, beatTimes: regularBeatTimes(70, 60), durationSeconds: 60, whiteNoiseUv: 40, seed: 5 });
    const lowVoltage = ecg.samples.map((v) => Math.round(0.05 * v));
    expectExactBeats(analyzeRecording(lowVoltage, fs).beats, ecg.beatSamples, fs);
  });

  it.each([125, 250, 1000])('finds no beat in the few-µV noise of a disconnected lead at %i Hz', (fs) => {
    const noise = syntheticEcg({ sampleRateHz: fs, beatTimes: [], durationSeconds: 60, whiteNoiseUv: 5, seed: 9 });
    expect(
      analyzeRecording(
        noise.samples.map((v) => Math.round(v)),
        fs,
      ).beats,
    ).toEqual([]);
  });

  it('detects wide premature ventricular beats in bigeminy', () => {
    const rr = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 0.55 : 1.05));
    const times = beatTimesFromRr(rr);
    const shapes = new Map<number, SyntheticBeatShape>(times.map((_, i) => [i, { ventricular: i % 2 === 1 }]));
    const ecg = syntheticEcg({ sampleRateHz: 360, beatTimes: times, durationSeconds: times[times.length - 1]! + 1, shapes });
    expectExactBeats(analyzeRecording(ecg.samples, 360).beats, ecg.beatSamples, 360);
  });

  it.each([250, 1000])('detects paced beats (4 mV, 1 ms pacing spike before a wide QRS) once each at %i Hz', (fs) => {
    const times = regularBeatTimes(70, 40);
    const ecg = syntheticEcg({
      sampleRateHz: fs,
      beatTimes: times,
      durationSeconds: 40,
      shape: { ventricular: true, rAmplitudeUv: 1000 },
      whiteNoiseUv: 20,
    });
    for (const t of times) {
      const spike = Math.round((t - 0.04) * fs);
      for (let k = 0; k < Math.max(1, Math.round(0.001 * fs)); k++) ecg.samples[spike + k]! += 4000;
    }
    const match = matchBeats(ecg.beatSamples, analyzeRecording(ecg.samples, fs).beats, matchToleranceSamples(fs));
    expect({ missed: match.falseNegatives, extra: match.falsePositives }).toEqual({ missed: 0, extra: 0 });
  });

  it('tracks irregular RR (atrial-fibrillation-like) without misses', () => {
    const random = seededRandom(11);
    const rr = Array.from({ length: 90 }, () => 0.4 + 0.7 * random());
    const times = beatTimesFromRr(rr);
    const ecg = syntheticEcg({ sampleRateHz: 300, beatTimes: times, durationSeconds: times[times.length - 1]! + 1, whiteNoiseUv: 20 });
    expectExactBeats(analyzeRecording(ecg.samples, 300).beats, ecg.beatSamples, 300);
  });
});

describe('QRS detection on MIT-BIH records (MLII)', () => {
  it.each(['100', '106'] as const)('record %s: Se and +P of at least 99.5 percent within 150 ms', (name) => {
    const record = fixtureMitdbRecord(name);
    const signal = loadWfdbChannel(record, 0);
    const { beats } = analyzeRecording(signal.microvolts, signal.sampleRateHz);
    const match = matchBeats(loadWfdbBeatSamples(record), beats, matchToleranceSamples(signal.sampleRateHz));
    expect(match.sensitivity).toBeGreaterThanOrEqual(0.995);
    expect(match.positivePredictivity).toBeGreaterThanOrEqual(0.995);
  });
});

describe('beat matching', () => {
  it('matches one to one within tolerance, closest first', () => {
    expect(matchBeats([100, 200, 300], [101, 104, 250, 420], 10)).toMatchObject({ truePositives: 1, falsePositives: 3, falseNegatives: 2 });
    expect(matchBeats([100, 110], [105], 10)).toMatchObject({ truePositives: 1, falsePositives: 0, falseNegatives: 1 });
  });
});
