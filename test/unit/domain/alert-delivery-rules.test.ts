import { describe, expect, it } from 'vitest';
import { ESCALATION_DELAY_SECONDS, escalationTime, isEscalationTime } from '../../../shared/domain/escalation.ts';
import { SosCall, sosMessage } from '../../../shared/domain/sos.ts';
import { mergeNotifyPreferences } from '../../../shared/domain/user.ts';
import { outsideAppText } from '../../../shared/services/outside-app-delivery.ts';

const raised = new Date('2026-12-02T10:00:00.000Z');

describe('escalation', () => {
  it('is arranged for high-priority alerts only, after their threshold’s delay or the default', () => {
    expect(escalationTime('high', raised)).toBe('2026-12-02T10:10:00.000Z');
    expect(escalationTime('high', raised, 30)).toBe('2026-12-02T10:00:30.000Z');
    expect(escalationTime('medium', raised)).toBeUndefined();
    expect(escalationTime('low', raised, 30)).toBeUndefined();
    expect(ESCALATION_DELAY_SECONDS).toEqual({ default: 600, min: 30, max: 86_400 });
  });

  it('comes for high-priority alerts at their escalation time', () => {
    const alert = { priority: 'high' as const, escalatesAt: '2026-12-02T10:10:00.000Z' };
    expect(isEscalationTime(alert, new Date('2026-12-02T10:10:00.000Z'))).toBe(true);
    expect(isEscalationTime(alert, new Date('2026-12-02T10:09:59.000Z'))).toBe(false);
    expect(isEscalationTime({ ...alert, priority: 'medium' }, new Date('2026-12-02T11:00:00.000Z'))).toBe(false);
    expect(isEscalationTime({ priority: 'high' }, new Date('2026-12-02T11:00:00.000Z'))).toBe(false);
  });
});

describe('SOS', () => {
  it('says what the caller typed, or that the patient asks for help', () => {
    expect(sosMessage({})).toBe('SOS: the patient asks for help');
    expect(sosMessage({ message: 'Fell in the kitchen' })).toBe('SOS: Fell in the kitchen');
  });

  it('takes a location only on Earth, with a sane accuracy', () => {
    expect(SosCall.safeParse({ location: { lat: 52.5, lon: 13.4, accuracyM: 10 } }).success).toBe(true);
    expect(SosCall.safeParse({ location: { lat: 91, lon: 13.4, accuracyM: 10 } }).success).toBe(false);
    expect(SosCall.safeParse({ location: { lat: 52.5, lon: 181, accuracyM: 10 } }).success).toBe(false);
    expect(SosCall.safeParse({ location: { lat: 52.5, lon: 13.4, accuracyM: -1 } }).success).toBe(false);
  });
});

describe('notify preferences', () => {
  it('change only what a request names; sms: null stops text messages', () => {
    expect(mergeNotifyPreferences(undefined, { sms: '+4915112345678' })).toEqual({ email: false, sms: '+4915112345678' });
    expect(mergeNotifyPreferences({ email: false, sms: '+4915112345678' }, { email: true })).toEqual({
      email: true,
      sms: '+4915112345678',
    });
    expect(mergeNotifyPreferences({ email: true, sms: '+4915112345678' }, { sms: null })).toEqual({ email: true });
  });
});

describe('messages outside the app', () => {
  it('name no patient and no finding, only whose and what kind', () => {
    expect(outsideAppText('alert', 'clinician')).toBe('Vigil: a high-priority alert for one of your patients. Open the app.');
    expect(outsideAppText('escalation', 'admin')).toBe(
      'Vigil: a high-priority alert for a patient of your organisation has not been acknowledged. Open the app.',
    );
    expect(outsideAppText('alert', 'caregiver')).toBe('Vigil: a high-priority alert for someone you care for. Open the app.');
  });
});
