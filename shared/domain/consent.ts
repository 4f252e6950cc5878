// What a patient lets a family caregiver see. A caregiver sees exactly what their scopes
// allow, on every read and every push; clinicians and the patient see everything.
import { z } from 'zod';
import { METRIC_NAMES, type Metric } from './metrics.ts';

/** One vital-sign metric, or all of them. */
export type VitalsScope = `vitals:${Metric}` | 'vitals:*';
export type ConsentScope = VitalsScope | 'ecg' | 'alerts' | 'sos';

export const CONSENT_SCOPES: readonly ConsentScope[] = [
  'vitals:*',
  ...METRIC_NAMES.map((metric): VitalsScope => `vitals:${metric}`),
  'ecg',
  'alerts',
  'sos',
];

function scopeProblem(input: unknown): string {
  const metric = typeof input === 'string' ? /^vitals:(.*)$/.exec(input)?.[1] : undefined;
  if (metric !== undefined) return `there is no metric "${metric}"; the metrics are ${METRIC_NAMES.join(', ')}, or * for all`;
  return 'must be vitals:<metric>, vitals:*, ecg, alerts or sos';
}

export const ConsentScopeName = z.enum(CONSENT_SCOPES as [ConsentScope, ...ConsentScope[]], {
  error: (issue) => scopeProblem(issue.input),
});

/** A caregiver's scopes as granted: each at most once, in a stable order. */
export const ConsentScopes = z
  .array(ConsentScopeName)
  .max(CONSENT_SCOPES.length)
  .transform((scopes) => CONSENT_SCOPES.filter((scope) => scopes.includes(scope)));

/** Scopes that together allow something; a read or a push needs every one of them. */
export type ConsentNeed = readonly ConsentScope[];

export const vitalsNeed = (metric: Metric): ConsentNeed => [`vitals:${metric}`];
export const ECG_NEED: ConsentNeed = ['ecg'];

function grants(scopes: readonly ConsentScope[], needed: ConsentScope): boolean {
  if (scopes.includes(needed)) return true;
  return needed.startsWith('vitals:') && scopes.includes('vitals:*');
}

export function consentCovers(scopes: readonly ConsentScope[], need: ConsentNeed): boolean {
  return need.every((scope) => grants(scopes, scope));
}

/** The scopes missing from `scopes` for `need`, to say what a refusal lacks. */
export function missingScopes(scopes: readonly ConsentScope[], need: ConsentNeed): ConsentScope[] {
  return need.filter((scope) => !grants(scopes, scope));
}

/**
 * What seeing an alert takes: an SOS needs `sos`; a device's technical alert, `alerts`; an
 * alert on a vital sign (whether measured by a device or derived from ECG) needs that metric
 * and `alerts`; any other ECG finding, `ecg` and `alerts`.
 */
export function alertNeed(alert: { cause: string; metric?: Metric | undefined }): ConsentNeed {
  if (alert.cause === 'sos') return ['sos'];
  // A device's own trouble (a flat battery) says nothing about the patient's health.
  if (alert.cause.startsWith('device.')) return ['alerts'];
  if (alert.metric !== undefined) return [`vitals:${alert.metric}`, 'alerts'];
  return ['ecg', 'alerts'];
}
