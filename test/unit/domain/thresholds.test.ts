import { describe, expect, it } from 'vitest';
import { completeThreshold, effectiveThreshold, type Threshold } from '../../../shared/domain/thresholds.ts';

const stored = (scope: Threshold['scope'], max: number): Threshold => ({ metric: 'heart_rate', scope, max, minDurationSeconds: 0, deadBand: 0, priority: 'high' });

describe('effectiveThreshold', () => {
  it("prefers the patient's own threshold", () => {
    expect(effectiveThreshold('heart_rate', { patient: stored('patient', 90), clinician: stored('clinician', 110), org: stored('org', 120) })?.max).toBe(90);
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
