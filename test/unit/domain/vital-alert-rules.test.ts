import { describe, expect, it } from 'vitest';
import type { ThresholdLimits } from '../../../shared/domain/thresholds.ts';
import { INITIAL_VITAL_RULE_STATE, judgeVitalSamples, type VitalRuleState } from '../../../shared/domain/vital-alert-rules.ts';

const SECOND = 1000;
const T0 = Date.parse('2026-05-04T10:00:00Z');

/** SpO2 as the built-in threshold has it: below 90 % for a minute pages someone. */
const spo2: ThresholdLimits = { min: 90, minDurationSeconds: 60, deadBand: 1, priority: 'high' };
/** Heart rate with both limits, raising at once. */
const heartRate: ThresholdLimits = { min: 40, max: 130, minDurationSeconds: 0, deadBand: 5, priority: 'high' };

/** Samples of [value, seconds after T0], in the order given. */
const samples = (...pairs: Array<[value: number, seconds: number]>) =>
  pairs.map(([value, seconds]) => ({ value, at: T0 + seconds * SECOND }));

/** Judges batches one after another, carrying the state, and returns every batch's breaches. */
function judgeInTurn(limits: ThresholdLimits, batches: ReturnType<typeof samples>[], start: VitalRuleState = INITIAL_VITAL_RULE_STATE) {
  let state = start;
  return {
    results: batches.map((batch) => {
      const judged = judgeVitalSamples(limits, batch, state);
      state = judged.state;
      return judged.breaches;
    }),
    get state() {
      return state;
    },
  };
}

describe('judgeVitalSamples: minimum duration on measurement times', () => {
  it('does not raise for SpO2 86 % measured 30 s apart, and raises once a sample 61 s after the first arrives', () => {
    const first = judgeVitalSamples(spo2, samples([86, 0], [86, 30]), INITIAL_VITAL_RULE_STATE);
    expect(first.breaches).toEqual([]);
    expect(first.state).toEqual({ tracker: { since: T0, raised: false, direction: 'low' }, judgedUntil: T0 + 30 * SECOND });

    const second = judgeVitalSamples(spo2, samples([86, 61]), first.state);
    expect(second.breaches).toEqual([{ direction: 'low', limit: 90, value: 86, at: T0 + 61 * SECOND, late: false }]);
    expect(second.state.tracker.raised).toBe(true);
  });

  it('raises within one batch as soon as the run spans the minimum duration', () => {
    const { breaches } = judgeVitalSamples(spo2, samples([86, 0], [87, 30], [85, 60]), INITIAL_VITAL_RULE_STATE);
    expect(breaches).toEqual([{ direction: 'low', limit: 90, value: 85, at: T0 + 60 * SECOND, late: false }]);
  });

  it('restarts the clock when a sample back inside the limit interrupts the run', () => {
    const { results } = judgeInTurn(spo2, [samples([86, 0], [95, 30]), samples([86, 61], [86, 100])]);
    expect(results).toEqual([[], []]);
  });

  it('judges on when samples were measured, not how many batches carried them', () => {
    // Many batches each a second apart in measurement time: 59 s of breach in all, no alert.
    const batches = Array.from({ length: 60 }, (_, second) => samples([86, second]));
    const { results } = judgeInTurn(spo2, batches);
    expect(results.flat()).toEqual([]);
  });
});

describe('judgeVitalSamples: dead-band across batches', () => {
  const slow: ThresholdLimits = { ...heartRate, minDurationSeconds: 60 };
  const raisedHigh = () => judgeVitalSamples(slow, samples([140, 0], [140, 60]), INITIAL_VITAL_RULE_STATE);

  it('keeps a raised breach through a value inside the limit but not past the dead-band, so a new excursion raises at once', () => {
    const raised = raisedHigh();
    expect(raised.breaches).toHaveLength(1);
    const { results, state } = judgeInTurn(slow, [samples([128, 120]), samples([131, 121])], raised.state);
    expect(results[0]).toEqual([]);
    expect(results[1]).toEqual([{ direction: 'high', limit: 130, value: 131, at: T0 + 121 * SECOND, late: false }]);
    expect(state.tracker.raised).toBe(true);
  });

  it('clears once past the dead-band, so the next excursion waits out the minimum duration again', () => {
    const { results, state } = judgeInTurn(slow, [samples([125, 120]), samples([131, 121])], raisedHigh().state);
    expect(results).toEqual([[], []]);
    expect(state.tracker).toEqual({ since: T0 + 121 * SECOND, raised: false, direction: 'high' });
  });
});

// Defect: a raised high breach swinging straight below the low limit raised the low alert at
// once, without its minimum duration.
describe('judgeVitalSamples: a swing from one limit past the other', () => {
  const slow: ThresholdLimits = { min: 40, max: 130, minDurationSeconds: 60, deadBand: 5, priority: 'high' };
  it('makes the new direction wait out its own minimum duration', () => {
    const raised = judgeVitalSamples(slow, samples([140, 0], [140, 61]), { tracker: { raised: false } });
    expect(raised.breaches.map((b) => b.direction)).toEqual(['high']);
    const swung = judgeVitalSamples(slow, samples([30, 62], [30, 100]), raised.state);
    expect(swung.breaches).toEqual([]);
    const lasted = judgeVitalSamples(slow, samples([30, 123]), swung.state);
    expect(lasted.breaches.map((b) => b.direction)).toEqual(['low']);
  });
});

describe('judgeVitalSamples: late data', () => {
  // The running judgement: SpO2 low for 30 s, pending, judged up to T0 + 3600 s.
  const running: VitalRuleState = {
    tracker: { since: T0 + 3570 * SECOND, raised: false, direction: 'low' },
    judgedUntil: T0 + 3600 * SECOND,
  };

  it('judges samples at or before the judged time among themselves, marks the breach late and leaves the running state alone', () => {
    const judged = judgeVitalSamples(spo2, samples([80, 0], [81, 30], [82, 61], [83, 3600]), running);
    expect(judged.breaches).toEqual([{ direction: 'low', limit: 90, value: 83, at: T0 + 3600 * SECOND, late: true }]);
    expect(judged.state).toEqual(running);
  });

  it('does not let a late breach continue the running one, nor a late normal value reset it', () => {
    // Late: one breaching sample (alone it lasts 0 s) and one normal value. New: 61 s after the running breach began.
    const judged = judgeVitalSamples(spo2, samples([80, 3590], [97, 3595], [85, 3631]), running);
    expect(judged.breaches).toEqual([{ direction: 'low', limit: 90, value: 85, at: T0 + 3631 * SECOND, late: false }]);
    expect(judged.state).toEqual({
      tracker: { since: T0 + 3570 * SECOND, raised: true, direction: 'low' },
      judgedUntil: T0 + 3631 * SECOND,
    });
  });

  it('reports a late breach and a current one from the same batch separately', () => {
    const judged = judgeVitalSamples(spo2, samples([80, 100], [80, 200], [85, 3631]), running);
    expect(judged.breaches).toEqual([
      { direction: 'low', limit: 90, value: 80, at: T0 + 200 * SECOND, late: true },
      { direction: 'low', limit: 90, value: 85, at: T0 + 3631 * SECOND, late: false },
    ]);
  });
});

describe('judgeVitalSamples: one alert per run', () => {
  it('turns 1000 breaching samples into one breach, stood for by the newest', () => {
    const thousand = Array.from({ length: 1000 }, (_, second) => ({ value: 85 - (second % 3), at: T0 + second * SECOND }));
    const first = judgeVitalSamples(spo2, thousand, INITIAL_VITAL_RULE_STATE);
    expect(first.breaches).toEqual([{ direction: 'low', limit: 90, value: 85 - (999 % 3), at: T0 + 999 * SECOND, late: false }]);

    const next = thousand.map((sample) => ({ ...sample, at: sample.at + 1000 * SECOND }));
    expect(judgeVitalSamples(spo2, next, first.state).breaches).toHaveLength(1);
  });

  it('reports a high and a low episode of one batch each, since they are different alerts', () => {
    // Tachycardia that clears, then bradycardia, all in one upload: the high alert must not be lost.
    const { breaches } = judgeVitalSamples(heartRate, samples([140, 0], [142, 1], [80, 2], [30, 3], [31, 4]), INITIAL_VITAL_RULE_STATE);
    expect(breaches).toEqual(
      expect.arrayContaining([
        { direction: 'high', limit: 130, value: 142, at: T0 + 1 * SECOND, late: false },
        { direction: 'low', limit: 40, value: 31, at: T0 + 4 * SECOND, late: false },
      ]),
    );
    expect(breaches).toHaveLength(2);
  });
});

describe('judgeVitalSamples: nothing to judge', () => {
  it('finds nothing and keeps the state when the metric has no limits', () => {
    const state: VitalRuleState = { tracker: { since: T0, raised: false }, judgedUntil: T0 };
    const judged = judgeVitalSamples(undefined, samples([1, 10], [500, 20]), state);
    expect(judged).toEqual({ state, breaches: [] });
  });

  it('finds nothing in an empty batch', () => {
    expect(judgeVitalSamples(spo2, [], INITIAL_VITAL_RULE_STATE)).toEqual({ state: INITIAL_VITAL_RULE_STATE, breaches: [] });
  });
});

// Defect: late samples were judged only among themselves: a run that stored data had
// interrupted still raised, and one that stored data completed was missed.
describe('judgeVitalSamples: late data among the samples stored around it', () => {
  const judgedToNow: VitalRuleState = { tracker: { raised: false }, judgedUntil: T0 + 3600 * SECOND };

  it('raises nothing for a late run that a stored normal value interrupted', () => {
    const late = samples([86, 0], [86, 90]);
    const stored = samples([97, 30]);
    expect(judgeVitalSamples(spo2, late, judgedToNow, stored).breaches).toEqual([]);
  });

  it('raises, as over, a late run that stored samples before it make long enough', () => {
    const late = samples([85, 60], [85, 90]);
    const stored = samples([85, 0], [85, 30]);
    expect(judgeVitalSamples(spo2, late, judgedToNow, stored).breaches).toEqual([
      { direction: 'low', limit: 90, value: 85, at: T0 + 90 * SECOND, late: true },
    ]);
  });

  it('leaves alone a run the stored samples raised on their own when they arrived', () => {
    const late = samples([97, 200]);
    const stored = samples([85, 0], [85, 61], [85, 120]);
    expect(judgeVitalSamples(spo2, late, judgedToNow, stored).breaches).toEqual([]);
  });
});
