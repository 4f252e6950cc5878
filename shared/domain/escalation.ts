// Escalation: a high-priority alert nobody acknowledged in time is taken to the rest of the
// patient's clinicians and the organisation's admins, once.
import type { Priority } from './thresholds.ts';

/** How long a high-priority alert may stay unacknowledged: its threshold's setting, within these bounds. */
export const ESCALATION_DELAY_SECONDS = { default: 600, min: 30, max: 86_400 } as const;

/** When an alert raised at `raisedAt` escalates; undefined for anything but high priority. */
export function escalationTime(
  priority: Priority,
  raisedAt: Date,
  delaySeconds: number = ESCALATION_DELAY_SECONDS.default,
): string | undefined {
  if (priority !== 'high') return undefined;
  return new Date(raisedAt.getTime() + delaySeconds * 1000).toISOString();
}

/**
 * Whether an alert's escalation time has come at `now`. Whether it is still open and not yet
 * escalated is decided by the store, atomically with claiming it.
 */
export function isEscalationTime(alert: { priority: Priority; escalatesAt?: string | undefined }, now: Date): boolean {
  return alert.priority === 'high' && alert.escalatesAt !== undefined && Date.parse(alert.escalatesAt) <= now.getTime();
}
