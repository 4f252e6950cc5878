import { describe, expect, it } from 'vitest';
import {
  alertNeed,
  CONSENT_SCOPES,
  type ConsentScope,
  ConsentScopes,
  consentCovers,
  ECG_NEED,
  missingScopes,
  vitalsNeed,
} from '../../../shared/domain/consent.ts';
import { METRIC_NAMES } from '../../../shared/domain/metrics.ts';

const messagesOf = (input: unknown) => ConsentScopes.safeParse(input).error?.issues.map((issue) => issue.message) ?? [];

describe('ConsentScopes', () => {
  it('keeps each granted scope once, in the stable order of the scope list', () => {
    const parsed = ConsentScopes.parse(['sos', 'vitals:spo2', 'ecg', 'sos', 'vitals:*', 'vitals:spo2', 'alerts']);
    expect(parsed).toEqual(['vitals:*', 'vitals:spo2', 'ecg', 'alerts', 'sos']);
  });

  it('gives the same scopes whatever order they were sent in', () => {
    expect(ConsentScopes.parse(['alerts', 'vitals:heart_rate'])).toEqual(ConsentScopes.parse(['vitals:heart_rate', 'alerts']));
  });

  it('accepts no scopes at all: a caregiver may be on the team without seeing anything yet', () => {
    expect(ConsentScopes.parse([])).toEqual([]);
  });

  it('accepts every scope of the list', () => {
    expect(ConsentScopes.parse([...CONSENT_SCOPES])).toEqual([...CONSENT_SCOPES]);
  });

  it('refuses vitals of an unknown metric, naming the metric sent and every known metric', () => {
    const [message, ...others] = messagesOf(['vitals:heart_rate', 'vitals:foo']);
    expect(others).toEqual([]);
    expect(message).toContain('"foo"');
    for (const metric of METRIC_NAMES) expect(message).toContain(metric);
    expect(message).toMatch(/\* for all/);
  });

  it('points at the offending entry of the list', () => {
    expect(ConsentScopes.safeParse(['ecg', 'vitals:foo']).error?.issues[0]?.path).toEqual([1]);
  });

  it('refuses a scope that is not vitals:… with the list of scope forms', () => {
    expect(messagesOf(['bogus'])).toEqual(['must be vitals:<metric>, vitals:*, ecg, alerts or sos']);
  });

  it('refuses scopes that only differ in case or spacing', () => {
    expect(ConsentScopes.safeParse(['ECG']).success).toBe(false);
    expect(ConsentScopes.safeParse([' sos']).success).toBe(false);
    expect(ConsentScopes.safeParse(['vitals:']).success).toBe(false);
  });

  it('refuses a scope that is not a string', () => {
    expect(ConsentScopes.safeParse([42]).success).toBe(false);
    expect(ConsentScopes.safeParse('ecg').success).toBe(false);
  });
});

describe('consentCovers', () => {
  it('is covered by exactly the scope needed', () => {
    expect(consentCovers(['vitals:spo2'], vitalsNeed('spo2'))).toBe(true);
    expect(consentCovers(['ecg'], ECG_NEED)).toBe(true);
  });

  it('is not covered by the scope of another metric', () => {
    expect(consentCovers(['vitals:spo2'], vitalsNeed('heart_rate'))).toBe(false);
  });

  it('lets vitals:* cover every metric', () => {
    for (const metric of METRIC_NAMES) expect(consentCovers(['vitals:*'], vitalsNeed(metric))).toBe(true);
  });

  it('does not let vitals:* cover ECG, alerts or SOS', () => {
    for (const need of [ECG_NEED, ['alerts'], ['sos']] as ConsentScope[][]) {
      expect(consentCovers(['vitals:*'], need)).toBe(false);
    }
  });

  it('needs every scope of a need, not just one', () => {
    expect(consentCovers(['alerts'], ['vitals:spo2', 'alerts'])).toBe(false);
    expect(consentCovers(['vitals:spo2'], ['vitals:spo2', 'alerts'])).toBe(false);
    expect(consentCovers(['vitals:spo2', 'alerts'], ['vitals:spo2', 'alerts'])).toBe(true);
    expect(consentCovers(['vitals:*', 'alerts'], ['vitals:spo2', 'alerts'])).toBe(true);
  });

  it('covers nothing without scopes', () => {
    expect(consentCovers([], ECG_NEED)).toBe(false);
    expect(consentCovers([], vitalsNeed('weight'))).toBe(false);
  });
});

describe('missingScopes', () => {
  it('names exactly the scopes a refusal lacks, in the order of the need', () => {
    expect(missingScopes(['vitals:spo2'], ['ecg', 'vitals:spo2', 'alerts'])).toEqual(['ecg', 'alerts']);
  });

  it('counts vitals:* as granting a metric', () => {
    expect(missingScopes(['vitals:*'], ['vitals:heart_rate', 'alerts'])).toEqual(['alerts']);
  });

  it('is empty when the scopes cover the need', () => {
    expect(missingScopes(['ecg', 'alerts'], ['ecg', 'alerts'])).toEqual([]);
  });
});

describe('alertNeed', () => {
  it('needs the metric and alerts for an alert on a vital sign', () => {
    expect(alertNeed({ cause: 'spo2.low', metric: 'spo2' })).toEqual(['vitals:spo2', 'alerts']);
  });

  it('needs the metric and alerts, not ecg, for a heart-rate alert derived from an ECG', () => {
    const need = alertNeed({ cause: 'heart_rate.high', metric: 'heart_rate' });
    expect(need).toEqual(['vitals:heart_rate', 'alerts']);
    expect(consentCovers(['vitals:*', 'alerts'], need)).toBe(true);
    expect(consentCovers(['ecg', 'alerts'], need)).toBe(false);
  });

  it('needs ecg and alerts for an ECG finding', () => {
    const need = alertNeed({ cause: 'ecg.pause' });
    expect(need).toEqual(['ecg', 'alerts']);
    expect(consentCovers(['ecg'], need)).toBe(false);
    expect(consentCovers(['alerts'], need)).toBe(false);
  });

  it('needs only sos for an SOS, which alerts alone does not grant', () => {
    const need = alertNeed({ cause: 'sos' });
    expect(need).toEqual(['sos']);
    expect(consentCovers(['alerts'], need)).toBe(false);
    expect(consentCovers(['sos'], need)).toBe(true);
  });
});
