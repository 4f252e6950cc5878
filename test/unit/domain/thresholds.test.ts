import { describe, expect, it } from 'vitest';
import { completeThreshold, effectiveThreshold, type Threshold, thresholdProblems } from '../../../shared/domain/thresholds.ts';
import { METRIC_NAMES } from '../../../shared/domain/metrics.ts';

const stored = (scope: Threshold['scope'], max: number): Threshold => ({
  metric: 'heart_rate',
  scope,
  max,
  minDurationSeconds: 0,
  deadBand: 0,
  priority: 'high',
});

describe('effectiveThreshold', () => {
  it("prefers the patient's own threshold", () => {
    expect(
      effectiveThreshold('heart_rate', { patient: stored('patient', 90), clinician: stored('clinician', 110), org: stored('org', 120) })
        ?.max,
    ).toBe(90);
  });
  it("falls back to the clinician's default, then the organisation's", () => {
    expect(effectiveThreshold('heart_rate', { clinician: stored('clinician', 110), org: stored('org', 120) })?.scope).toBe('clinician');
    expect(effectiveThreshold('heart_rate', { org: stored('org', 120) })?.scope).toBe('org');
  });
  it('ends at the built-in threshold', () => {
    expect(effectiveThreshold('heart_rate', {})).toMatchObject({ scope: 'builtin', min: 40, max: 130 });
  });
  it.each(METRIC_NAMES)('has a built-in threshold for %s, each within what is possible', (metric) => {
    const threshold = effectiveThreshold(metric, {});
    expect(threshold).toMatchObject({ scope: 'builtin' });
    expect(thresholdProblems(metric, threshold ?? {})).toEqual([]);
  });

  it('pages nobody urgently for steps and weight, which have no clinical universal limit', () => {
    expect(effectiveThreshold('steps', {})?.priority).toBe('low');
    expect(effectiveThreshold('weight', {})?.priority).toBe('low');
  });
});

describe('completeThreshold', () => {
  it('fills defaults and keeps only the limits given', () => {
    expect(completeThreshold({ max: 100 })).toEqual({
      max: 100,
      minDurationSeconds: 0,
      deadBand: 0,
      priority: 'high',
      escalateAfterSeconds: 600,
    });
  });
});

describe('thresholdProblems', () => {
  it('names each limit outside the possible range of the metric', () => {
    expect(thresholdProblems('heart_rate', { max: -5 })).toEqual([
      { path: 'max', message: 'must be within 0–350 /min, the possible range of heart_rate' },
    ]);
    expect(thresholdProblems('spo2', { min: 85, max: 101 }).map((p) => p.path)).toEqual(['max']);
    expect(thresholdProblems('body_temperature', { min: 10, max: 50 }).map((p) => p.path)).toEqual(['min', 'max']);
  });

  it('accepts limits inside the range, up to its ends', () => {
    expect(thresholdProblems('heart_rate', { min: 0, max: 350 })).toEqual([]);
    expect(thresholdProblems('spo2', { min: 90 })).toEqual([]);
  });

  it('refuses min at or above max', () => {
    expect(thresholdProblems('heart_rate', { min: 100, max: 100 })).toEqual([
      { path: 'min', message: 'must be below max' },
      { path: 'max', message: 'must be above min' },
    ]);
  });

  it('refuses a two-sided dead-band of half the distance between the limits or more', () => {
    expect(thresholdProblems('heart_rate', { min: 50, max: 60, deadBand: 5 }).map((p) => p.path)).toEqual(['deadBand']);
    expect(thresholdProblems('heart_rate', { min: 50, max: 60, deadBand: 4.9 })).toEqual([]);
  });

  // Defect: {"max":100,"deadBand":1000} was accepted, and a heart-rate breach could never clear.
  it('refuses a one-sided dead-band that leaves no possible value at which a breach clears', () => {
    expect(thresholdProblems('heart_rate', { max: 100, deadBand: 1000 })).toEqual([
      expect.objectContaining({ path: 'deadBand', message: expect.stringContaining('below 0 /min') }),
    ]);
    expect(thresholdProblems('spo2', { min: 90, deadBand: 11 })).toEqual([
      expect.objectContaining({ path: 'deadBand', message: expect.stringContaining('above 100 %') }),
    ]);
  });

  it('accepts a one-sided dead-band whose clearing value is still possible, down to the end of the range', () => {
    expect(thresholdProblems('heart_rate', { max: 100, deadBand: 100 })).toEqual([]);
    expect(thresholdProblems('spo2', { min: 90, deadBand: 10 })).toEqual([]);
  });
});
