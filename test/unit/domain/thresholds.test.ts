import { describe, expect, it } from 'vitest';
import { completeThreshold, effectiveThreshold, impossibleLimits, type Threshold } from '../../../shared/domain/thresholds.ts';

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
  it('has no threshold for metrics without a safe universal limit', () => {
    expect(effectiveThreshold('steps', {})).toBeUndefined();
  });
});

describe('completeThreshold', () => {
  it('fills defaults and keeps only the limits given', () => {
    expect(completeThreshold({ max: 100 })).toEqual({ max: 100, minDurationSeconds: 0, deadBand: 0, priority: 'high' });
  });
});

describe('impossibleLimits', () => {
  it('names each limit outside the possible range of the metric', () => {
    expect(impossibleLimits('heart_rate', { max: -5 })).toEqual([
      { field: 'max', message: 'must be within 0–350 /min, the possible range of heart_rate' },
    ]);
    expect(impossibleLimits('spo2', { min: 85, max: 101 }).map((p) => p.field)).toEqual(['max']);
    expect(impossibleLimits('body_temperature', { min: 10, max: 50 }).map((p) => p.field)).toEqual(['min', 'max']);
  });
  it('accepts limits inside the range, up to its ends', () => {
    expect(impossibleLimits('heart_rate', { min: 0, max: 350 })).toEqual([]);
    expect(impossibleLimits('spo2', { min: 90 })).toEqual([]);
  });
});
