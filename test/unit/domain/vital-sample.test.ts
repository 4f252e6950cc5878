import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { METRICS, type Metric } from '../../../shared/domain/metrics.ts';
import { batchProblems, sampleIdentity, VitalSampleInput } from '../../../shared/domain/vital-sample.ts';

const NOW = Date.parse('2026-06-15T12:00:00Z');
const MINUTE = 60_000;
const isoAt = (epochMs: number) => new Date(epochMs).toISOString();
const aMinuteAgo = isoAt(NOW - MINUTE);

const problemsOf = (input: unknown) =>
  VitalSampleInput.safeParse(input).error?.issues.map((issue) => ({ path: issue.path, message: issue.message }));

beforeEach(() => {
  // measuredAt is judged against the server's clock.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('VitalSampleInput accepts', () => {
  const plausible: Record<Metric, number> = {
    heart_rate: 72,
    spo2: 97,
    body_temperature: 36.8,
    systolic_bp: 120,
    diastolic_bp: 80,
    respiratory_rate: 16,
    steps: 8432,
    weight: 71.35,
    blood_glucose: 95,
  };

  it.each(Object.entries(plausible))('a plausible %s of %d', (metric, value) => {
    expect(VitalSampleInput.parse({ metric, value, measuredAt: aMinuteAgo })).toEqual({ metric, value, measuredAt: aMinuteAgo });
  });

  it("a unit equal to the metric's UCUM unit, and a device id", () => {
    for (const metric of Object.keys(METRICS) as Metric[]) {
      const sample = { metric, value: plausible[metric], measuredAt: aMinuteAgo, unit: METRICS[metric].unit, deviceId: 'AA:BB:CC:01' };
      expect(VitalSampleInput.safeParse(sample).success, metric).toBe(true);
    }
    expect(VitalSampleInput.parse({ metric: 'heart_rate', value: 72, measuredAt: aMinuteAgo, unit: '/min' }).unit).toBe('/min');
  });

  it('a measurement days old (late data is accepted)', () => {
    const measuredAt = isoAt(NOW - 9 * 24 * 60 * MINUTE);
    expect(VitalSampleInput.safeParse({ metric: 'spo2', value: 95, measuredAt }).success).toBe(true);
  });

  it('a measurement 4 minutes ahead of the server (clock skew), and exactly 5 minutes ahead', () => {
    expect(VitalSampleInput.safeParse({ metric: 'heart_rate', value: 72, measuredAt: isoAt(NOW + 4 * MINUTE) }).success).toBe(true);
    expect(VitalSampleInput.safeParse({ metric: 'heart_rate', value: 72, measuredAt: isoAt(NOW + 5 * MINUTE) }).success).toBe(true);
  });

  it('a measurement time with an offset other than Z', () => {
    expect(VitalSampleInput.safeParse({ metric: 'heart_rate', value: 72, measuredAt: '2026-06-15T13:58:00+02:00' }).success).toBe(true);
  });

  it('the edges of the possible range and three decimals', () => {
    expect(VitalSampleInput.safeParse({ metric: 'spo2', value: 100, measuredAt: aMinuteAgo }).success).toBe(true);
    expect(VitalSampleInput.safeParse({ metric: 'weight', value: 0.2, measuredAt: aMinuteAgo }).success).toBe(true);
    expect(VitalSampleInput.parse({ metric: 'body_temperature', value: 36.125, measuredAt: aMinuteAgo }).value).toBe(36.125);
  });
});

describe('VitalSampleInput refuses, naming the field', () => {
  it('an SpO2 of 101 %, giving the possible range', () => {
    expect(problemsOf({ metric: 'spo2', value: 101, measuredAt: aMinuteAgo })).toEqual([
      { path: ['value'], message: '101 % is not a possible spo2 (0–100 %)' },
    ]);
  });

  it('a body temperature of 80 °C', () => {
    expect(problemsOf({ metric: 'body_temperature', value: 80, measuredAt: aMinuteAgo })).toEqual([
      { path: ['value'], message: '80 Cel is not a possible body_temperature (20–46 Cel)' },
    ]);
  });

  it('a negative weight', () => {
    expect(problemsOf({ metric: 'weight', value: -70, measuredAt: aMinuteAgo })).toEqual([
      { path: ['value'], message: '-70 kg is not a possible weight (0.2–700 kg)' },
    ]);
  });

  it('a heart rate of 400 /min', () => {
    expect(problemsOf({ metric: 'heart_rate', value: 400, measuredAt: aMinuteAgo })).toEqual([
      { path: ['value'], message: '400 /min is not a possible heart_rate (0–350 /min)' },
    ]);
  });

  it("a unit other than the metric's UCUM unit ('bpm' for heart_rate)", () => {
    expect(problemsOf({ metric: 'heart_rate', value: 72, measuredAt: aMinuteAgo, unit: 'bpm' })).toEqual([
      { path: ['unit'], message: 'must be /min, the UCUM unit of heart_rate' },
    ]);
  });

  it("another metric's unit ('%' for a temperature)", () => {
    expect(problemsOf({ metric: 'body_temperature', value: 36.8, measuredAt: aMinuteAgo, unit: '%' })).toEqual([
      { path: ['unit'], message: 'must be Cel, the UCUM unit of body_temperature' },
    ]);
  });

  it('a measurement 10 minutes ahead of the server, and one a millisecond past the 5-minute skew', () => {
    expect(problemsOf({ metric: 'heart_rate', value: 72, measuredAt: isoAt(NOW + 10 * MINUTE) })).toEqual([
      { path: ['measuredAt'], message: 'must not be more than 5 minutes in the future' },
    ]);
    expect(problemsOf({ metric: 'heart_rate', value: 72, measuredAt: isoAt(NOW + 5 * MINUTE + 1) })?.[0]?.path).toEqual(['measuredAt']);
  });

  it('a value with more than 3 decimals', () => {
    expect(problemsOf({ metric: 'body_temperature', value: 36.8125, measuredAt: aMinuteAgo })).toEqual([
      { path: ['value'], message: 'must have at most 3 decimal places' },
    ]);
    expect(problemsOf({ metric: 'spo2', value: 1e-200, measuredAt: aMinuteAgo })?.[0]?.path).toEqual(['value']);
  });

  it('a field the schema does not know, naming it', () => {
    const problems = VitalSampleInput.safeParse({ metric: 'heart_rate', value: 72, measuredAt: aMinuteAgo, patientId: 'p-1' }).error
      ?.issues;
    expect(problems).toHaveLength(1);
    expect(problems?.[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['patientId'], path: [] });
    expect(problems?.[0]?.message).toContain('patientId');
  });

  it('an unknown metric, without judging its value', () => {
    expect(problemsOf({ metric: 'glucose', value: 95, measuredAt: aMinuteAgo })?.map((problem) => problem.path)).toEqual([['metric']]);
  });
});

describe('batchProblems', () => {
  const sample = (metric: Metric, value: number, measuredAt: string) => VitalSampleInput.parse({ metric, value, measuredAt });
  const EIGHT = '2026-06-15T08:00:00.000Z';

  it('names a diastolic above the systolic measured at the same instant, at its index', () => {
    const samples = [sample('heart_rate', 72, EIGHT), sample('systolic_bp', 90, EIGHT), sample('diastolic_bp', 95, EIGHT)];
    expect(batchProblems(samples)).toEqual([
      { path: 'body.samples.2.value', message: 'diastolic 95 mm[Hg] is above the systolic 90 mm[Hg] measured at the same instant' },
    ]);
  });

  it('pairs readings by instant, not by how the time is written', () => {
    const samples = [sample('diastolic_bp', 95, '2026-06-15T10:00:00+02:00'), sample('systolic_bp', 90, EIGHT)];
    expect(batchProblems(samples).map((problem) => problem.path)).toEqual(['body.samples.0.value']);
  });

  it('accepts the same pair measured at different instants', () => {
    expect(batchProblems([sample('systolic_bp', 90, EIGHT), sample('diastolic_bp', 95, '2026-06-15T08:01:00.000Z')])).toEqual([]);
  });

  it('accepts a diastolic below (or equal to) the systolic', () => {
    expect(batchProblems([sample('systolic_bp', 120, EIGHT), sample('diastolic_bp', 80, EIGHT)])).toEqual([]);
    expect(batchProblems([sample('systolic_bp', 90, EIGHT), sample('diastolic_bp', 90, EIGHT)])).toEqual([]);
  });

  it('does not compare a diastolic with another metric at the same instant', () => {
    expect(batchProblems([sample('heart_rate', 60, EIGHT), sample('diastolic_bp', 80, EIGHT)])).toEqual([]);
  });
});

describe('sampleIdentity', () => {
  it('is the same for one metric at one instant and differs by metric or instant', () => {
    const at = Date.parse('2026-06-15T08:00:00Z');
    expect(sampleIdentity({ metric: 'heart_rate', at })).toBe(sampleIdentity({ metric: 'heart_rate', at }));
    expect(sampleIdentity({ metric: 'heart_rate', at })).not.toBe(sampleIdentity({ metric: 'spo2', at }));
    expect(sampleIdentity({ metric: 'heart_rate', at })).not.toBe(sampleIdentity({ metric: 'heart_rate', at: at + 1 }));
  });
});
