import { describe, expect, it } from 'vitest';
import { evaluateEcgChunk, INITIAL_ECG_ALERT_RULE_STATE } from '../../../shared/domain/ecg-alert-rules.ts';
import type { ChunkAnalysis } from '../../../shared/ecg/ecg-stream.ts';
import type { Threshold } from '../../../shared/domain/thresholds.ts';

const timing = { recordingStartMs: Date.UTC(2026, 10, 22, 4, 0, 0), sampleRateHz: 250 };
const threshold: Threshold = { metric: 'heart_rate', scope: 'patient', max: 100, minDurationSeconds: 0, deadBand: 5, priority: 'high' };

function chunk(overrides: Partial<ChunkAnalysis> = {}): ChunkAnalysis {
  return {
    startSample: 2500,
    sampleCount: 2500,
    beats: [2600, 2700],
    rrIntervalsMs: [400],
    heartRate: { meanBpm: 150, minBpm: 148, maxBpm: 152 },
    quality: [{ startSample: 2500, endSample: 5000, usable: true, issues: [] }],
    usable: true,
    findings: [],
    ...overrides,
  };
}

describe('evaluateEcgChunk', () => {
  it('raises a heart-rate alert with value, limit and the time the chunk ended', () => {
    const { alerts, state } = evaluateEcgChunk(chunk(), threshold, INITIAL_ECG_ALERT_RULE_STATE, timing);
    expect(alerts).toEqual([
      {
        cause: 'heart_rate.high',
        priority: 'high',
        message: 'Heart rate 150 /min above the limit of 100 /min',
        metric: 'heart_rate',
        value: 150,
        limit: 100,
        seenAt: '2026-11-22T04:00:20.000Z',
      },
    ]);
    expect(state.heartRate.raised).toBe(true);
  });

  it('raises nothing for the closing step of a recording that received no signal at all', () => {
    const empty = chunk({ startSample: 0, sampleCount: 0, beats: [], rrIntervalsMs: [], quality: [], usable: false });
    delete empty.heartRate;
    expect(evaluateEcgChunk(empty, threshold, INITIAL_ECG_ALERT_RULE_STATE, timing).alerts).toEqual([]);
  });

  it('raises nothing for a heart rate inside the threshold', () => {
    expect(
      evaluateEcgChunk(chunk({ heartRate: { meanBpm: 72, minBpm: 70, maxBpm: 75 } }), threshold, INITIAL_ECG_ALERT_RULE_STATE, timing)
        .alerts,
    ).toEqual([]);
  });

  it('raises only a technical alert from unusable signal, however fast the beats look', () => {
    const unusable = chunk({
      usable: false,
      heartRate: { meanBpm: 220, minBpm: 200, maxBpm: 240 },
      quality: [{ startSample: 2500, endSample: 5000, usable: false, issues: ['flat_line'] }],
      findings: [{ kind: 'signal_quality', issue: 'flat_line', startSample: 2500, endSample: 5000 }],
    });
    const { alerts, state } = evaluateEcgChunk(unusable, threshold, INITIAL_ECG_ALERT_RULE_STATE, timing);
    expect(alerts).toEqual([
      {
        cause: 'ecg.signal_quality',
        priority: 'low',
        message: 'ECG signal unusable: flat line or lead off',
        seenAt: '2026-11-22T04:00:20.000Z',
      },
    ]);
    expect(state).toBe(INITIAL_ECG_ALERT_RULE_STATE);
  });

  it('turns rhythm findings into their own alerts, once per cause', () => {
    const { alerts } = evaluateEcgChunk(
      chunk({
        heartRate: { meanBpm: 60, minBpm: 20, maxBpm: 80 },
        findings: [
          { kind: 'pause', rrSeconds: 3.2, startSample: 3000, endSample: 3800 },
          { kind: 'pause', rrSeconds: 2.8, startSample: 4000, endSample: 4700 },
          { kind: 'irregular_rhythm', measures: {}, startSample: 2500, endSample: 5000 },
        ],
      }),
      threshold,
      INITIAL_ECG_ALERT_RULE_STATE,
      timing,
    );
    expect(alerts.map((alert) => [alert.cause, alert.priority, alert.message])).toEqual([
      ['ecg.pause', 'high', 'Pause of 3.2 s between beats'],
      ['ecg.irregular_rhythm', 'medium', 'Irregular rhythm: possible atrial fibrillation'],
    ]);
  });

  it('raises no heart-rate alert when no threshold applies', () => {
    expect(evaluateEcgChunk(chunk(), undefined, INITIAL_ECG_ALERT_RULE_STATE, timing).alerts).toEqual([]);
  });
});
