import { describe, expect, it } from 'vitest';
import { analyzeChunk, analyzeRecording, createEcgStream, finishEcgStream, type EcgStreamState } from '../../../shared/ecg/ecg-stream.ts';
import { loadWfdbBeatSamples, loadWfdbChannel } from '../../../shared/ecg/wfdb/wfdb-record-loader.ts';
import { FIXTURE_MITDB_RECORDS, fixtureMitdbRecord } from '../../support/ecg-records.ts';
import { regularBeatTimes, seededRandom, syntheticEcg } from '../../../shared/ecg/synthetic-ecg.ts';

/** Streams `samples` in the given chunk lengths, passing the state through JSON like DynamoDB does. */
function streamBeats(samples: Float64Array | Int16Array, fs: number, chunkLengths: number[]): { beats: number[]; perCall: number[][] } {
  let state: EcgStreamState = createEcgStream(fs);
  const perCall: number[][] = [];
  let at = 0;
  for (const length of chunkLengths) {
    const { state: next, result } = analyzeChunk(state, samples.subarray(at, at + length));
    expect(result.startSample).toBe(at);
    at += length;
    perCall.push(result.beats);
    state = JSON.parse(JSON.stringify(next)) as EcgStreamState;
  }
  perCall.push(finishEcgStream(state).result.beats);
  return { beats: perCall.flat(), perCall };
}

/** Chunk lengths of 2–60 s drawn from a seeded generator, covering the whole recording. */
function randomChunks(total: number, fs: number, seed: number): number[] {
  const random = seededRandom(seed);
  const lengths: number[] = [];
  let left = total;
  while (left > 0) {
    const length = Math.min(left, Math.round((2 + 58 * random()) * fs) + Math.floor(random() * 7));
    lengths.push(length);
    left -= length;
  }
  return lengths;
}

describe('streaming equals whole-record analysis', () => {
  it.each(FIXTURE_MITDB_RECORDS)('record %s: same beats for random 2–60 s chunks as for the whole record', (name) => {
    const signal = loadWfdbChannel(fixtureMitdbRecord(name), 0);
    const samples = Int16Array.from(signal.microvolts, (v) => Math.round(v));
    const whole = analyzeRecording(samples, 360).beats;
    for (const seed of [1, 2]) {
      const { beats } = streamBeats(samples, 360, randomChunks(samples.length, 360, seed));
      expect(beats).toEqual(whole);
    }
  });

  it('record 106: same beats when every chunk boundary falls inside a QRS complex', () => {
    const record = fixtureMitdbRecord('106');
    const signal = loadWfdbChannel(record, 0);
    const samples = signal.microvolts.subarray(0, 10 * 60 * 360);
    const whole = analyzeRecording(samples, 360).beats;
    // Cut 5 samples (14 ms) after every 7th annotated R peak: each cut splits a beat in two.
    const cuts = loadWfdbBeatSamples(record)
      .filter((b, i) => i % 7 === 3 && b + 5 < samples.length)
      .map((b) => b + 5);
    const lengths = cuts.map((c, i) => c - (i === 0 ? 0 : cuts[i - 1]!));
    lengths.push(samples.length - cuts[cuts.length - 1]!);
    const { beats, perCall } = streamBeats(samples, 360, lengths);
    expect(beats).toEqual(whole);
    // No beat is reported twice, and beats keep their order across calls.
    expect(new Set(beats).size).toBe(beats.length);
    expect([...beats].sort((a, b) => a - b)).toEqual(beats);
    expect(perCall.length).toBe(lengths.length + 1);
  });

  it('gives the same findings and summary for 2 s chunks as for the whole recording', () => {
    const ecg = syntheticEcg({ sampleRateHz: 250, beatTimes: regularBeatTimes(45, 120), durationSeconds: 120, whiteNoiseUv: 15 });
    const whole = analyzeRecording(ecg.samples, 250);
    const { beats } = streamBeats(ecg.samples, 250, new Array<number>(60).fill(500));
    expect(beats).toEqual(whole.beats);
    let state = createEcgStream(250);
    for (let at = 0; at < ecg.samples.length; at += 500) state = analyzeChunk(state, ecg.samples.subarray(at, at + 500)).state;
    const { summary } = finishEcgStream(state);
    expect(summary).toEqual(whole.summary);
  });

  it.each([125, 1000])('synthetic recording at %i Hz: same beats for 2 s and uneven chunks as whole', (fs) => {
    const ecg = syntheticEcg({
      sampleRateHz: fs,
      beatTimes: regularBeatTimes(88, 90),
      durationSeconds: 90,
      whiteNoiseUv: 30,
      baselineWanderUv: 300,
    });
    const whole = analyzeRecording(ecg.samples, fs).beats;
    expect(whole.length).toBe(ecg.beatSamples.length);
    expect(streamBeats(ecg.samples, fs, new Array<number>(45).fill(2 * fs)).beats).toEqual(whole);
    expect(streamBeats(ecg.samples, fs, randomChunks(ecg.samples.length, fs, 3)).beats).toEqual(whole);
  });

  it('keeps the state small, JSON-safe and independent of recording length at 1000 Hz', () => {
    const fs = 1000;
    const chunk = syntheticEcg({ sampleRateHz: fs, beatTimes: regularBeatTimes(70, 30), durationSeconds: 30, whiteNoiseUv: 10 }).samples;
    let state = createEcgStream(fs);
    const sizes: number[] = [];
    for (let i = 0; i < 10; i++) {
      state = analyzeChunk(state, chunk).state;
      const json = JSON.stringify(state);
      expect(JSON.parse(json)).toEqual(state);
      sizes.push(json.length);
    }
    expect(Math.max(...sizes)).toBeLessThan(100 * 1024);
    expect(sizes[9]! - sizes[2]!).toBeLessThan(2 * 1024);
  });

  it('does not mutate the state it is given', () => {
    const ecg = syntheticEcg({ sampleRateHz: 250, beatTimes: regularBeatTimes(70, 20), durationSeconds: 20 });
    const state = analyzeChunk(createEcgStream(250), ecg.samples.subarray(0, 2500)).state;
    const before = JSON.stringify(state);
    analyzeChunk(state, ecg.samples.subarray(2500));
    finishEcgStream(state);
    expect(JSON.stringify(state)).toBe(before);
  });
});
