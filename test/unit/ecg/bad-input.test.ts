import { describe, expect, it } from 'vitest';
import { analyzeChunk, createEcgStream, finishEcgStream } from '../../../shared/ecg/ecg-stream.ts';
import { matchBeats } from '../../../shared/ecg/beat-matching.ts';
import { regularBeatTimes, syntheticEcg } from '../../../shared/ecg/synthetic-ecg.ts';

const FS = 250;

describe('sample rate', () => {
  it.each([124, 1001, 0, -250, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s Hz with a RangeError naming the value', (fs) => {
    expect(() => createEcgStream(fs)).toThrow(RangeError);
    expect(() => createEcgStream(fs)).toThrow(String(fs));
  });

  it('accepts the limits 125 and 1000 Hz', () => {
    expect(createEcgStream(125).sampleRateHz).toBe(125);
    expect(createEcgStream(1000).sampleRateHz).toBe(1000);
  });

  it('rejects nonsensical options', () => {
    expect(() => createEcgStream(250, { pauseSeconds: -1 })).toThrow(/pauseSeconds/);
  });
});

describe('bad chunks never throw', () => {
  it('an empty chunk gives an empty, unusable result and leaves the position unchanged', () => {
    const state = createEcgStream(FS);
    for (const empty of [new Int16Array(0), new Float32Array(0), []]) {
      const { state: next, result } = analyzeChunk(state, empty);
      expect(result).toEqual({ startSample: 0, sampleCount: 0, beats: [], rrIntervalsMs: [], quality: [], usable: false, findings: [] });
      expect(next.nextSample).toBe(0);
    }
  });

  it.each([
    ['NaN', Number.NaN],
    ['+Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['1e12 µV', 1e12],
  ])('a chunk of %s is unusable with a saturation finding', (_name, value) => {
    const { result } = analyzeChunk(createEcgStream(FS), new Array<number>(10 * FS).fill(value));
    expect(result.usable).toBe(false);
    expect(result.beats).toEqual([]);
    expect(result.findings.map((f) => f.kind)).toEqual(['signal_quality']);
    expect(result.findings[0]).toMatchObject({ issue: 'saturation' });
  });

  it('a few NaN samples inside good ECG do not stop detection', () => {
    const ecg = syntheticEcg({ sampleRateHz: FS, beatTimes: regularBeatTimes(70, 30), durationSeconds: 30 });
    const samples = Array.from(ecg.samples);
    for (let i = 1000; i < samples.length; i += 997) samples[i] = Number.NaN;
    const { state, result } = analyzeChunk(createEcgStream(FS), samples);
    const end = finishEcgStream(state);
    const beats = [...result.beats, ...end.result.beats];
    // A held sample may move an R peak by one sample, no more.
    expect(matchBeats(ecg.beatSamples, beats, 1)).toMatchObject({ falsePositives: 0, falseNegatives: 0 });
    expect(end.summary.unusableSeconds).toBe(0);
  });

  it('recovers after a burst of garbage: later beats are found again', () => {
    const ecg = syntheticEcg({ sampleRateHz: FS, beatTimes: regularBeatTimes(70, 60), durationSeconds: 60 });
    const samples = Float32Array.from(ecg.samples);
    for (let i = 20 * FS; i < 22 * FS; i++) samples[i] = i % 2 === 0 ? 1e9 : -1e9;
    const first = analyzeChunk(createEcgStream(FS), samples);
    const end = finishEcgStream(first.state);
    const late = [...first.result.beats, ...end.result.beats].filter((b) => b > 30 * FS);
    expect(late).toEqual(ecg.beatSamples.filter((b) => b > 30 * FS));
    expect(first.result.findings.some((f) => f.kind === 'signal_quality' && f.issue === 'saturation')).toBe(true);
  });

  it('accepts non-number entries in a plain array as invalid samples', () => {
    const junk = new Array<unknown>(5 * FS).fill('x') as number[];
    expect(() => analyzeChunk(createEcgStream(FS), junk)).not.toThrow();
  });

  it('ignores chunks after the recording was finished', () => {
    const { state } = finishEcgStream(createEcgStream(FS));
    const { result } = analyzeChunk(state, new Int16Array(500));
    expect(result.sampleCount).toBe(0);
  });
});
