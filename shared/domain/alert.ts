// An alert: one per (patient, cause) while open; repeats count on it.
import { z } from 'zod';
import { Id } from './identifiers.ts';
import { MetricName } from './metrics.ts';
import { Priority } from './thresholds.ts';
import { Timestamp } from './time.ts';

export const AlertStatus = z.enum(['open', 'acknowledged', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatus>;

export const Alert = z.object({
  alertId: Id,
  patientId: Id,
  orgId: Id,
  /** The de-duplication key: "heart_rate.high", "ecg.pause", "ecg.signal_quality". */
  cause: z.string().min(1).max(100),
  metric: MetricName.optional(),
  priority: Priority,
  status: AlertStatus,
  message: z.string().max(500),
  count: z.number().int().min(1),
  firstValue: z.number().optional(),
  lastValue: z.number().optional(),
  limit: z.number().optional(),
  firstSeenAt: Timestamp,
  lastSeenAt: Timestamp,
  createdAt: Timestamp,
  recordingId: Id.optional(),
  acknowledgedAt: Timestamp.optional(),
  acknowledgedBy: Id.optional(),
  resolvedAt: Timestamp.optional(),
  resolvedBy: Id.optional(),
  /** Raised from data measured long before it arrived: recorded, already over, paged nobody. */
  historical: z.boolean().optional(),
});
export type Alert = z.infer<typeof Alert>;

/** What raising an alert starts from; the store fills in status, count and the last-seen fields. */
export type AlertDraft = Omit<
  Alert,
  'status' | 'count' | 'lastValue' | 'lastSeenAt' | 'acknowledgedAt' | 'acknowledgedBy' | 'resolvedAt' | 'resolvedBy' | 'historical'
>;
