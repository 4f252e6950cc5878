// An alert: one per (patient, cause) while open; repeats count on it.
import { z } from 'zod';
import { Id } from './identifiers.ts';
import { MetricName } from './metrics.ts';
import { Priority } from './thresholds.ts';
import { multiLineText } from './text.ts';
import { Timestamp } from './time.ts';

/** A clinician's note on an alert is at most this long; an alert holds at most this many notes. */
export const ALERT_NOTE_MAX_LENGTH = 2_000;
export const MAX_NOTES_PER_ALERT = 50;

export const AlertNote = z.object({
  noteId: Id,
  text: multiLineText(ALERT_NOTE_MAX_LENGTH),
  authorId: Id,
  authorName: z.string(),
  at: Timestamp,
});
export type AlertNote = z.infer<typeof AlertNote>;

/** Where a phone says it is (WGS 84), with its own estimate of how far off that may be. */
export const LOCATION_BOUNDS = {
  lat: { min: -90, max: 90 },
  lon: { min: -180, max: 180 },
  accuracyM: { min: 0, max: 100_000 },
} as const;

export const Location = z.object({
  lat: z.number().min(LOCATION_BOUNDS.lat.min).max(LOCATION_BOUNDS.lat.max),
  lon: z.number().min(LOCATION_BOUNDS.lon.min).max(LOCATION_BOUNDS.lon.max),
  accuracyM: z.number().min(LOCATION_BOUNDS.accuracyM.min).max(LOCATION_BOUNDS.accuracyM.max),
});
export type Location = z.infer<typeof Location>;

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
  /** Why it was resolved, when not by a clinician's judgement ("cancelled by the patient"). */
  resolution: z.string().max(200).optional(),
  /** High priority only: when it escalates unless acknowledged first, and whether and when it did. */
  escalatesAt: Timestamp.optional(),
  escalated: z.boolean().optional(),
  escalatedAt: Timestamp.optional(),
  /** SOS: who raised it last and where the patient was. */
  raisedBy: Id.optional(),
  location: Location.optional(),
  /** Clinicians' notes, oldest first; shown to clinicians only. */
  notes: z.array(AlertNote).max(MAX_NOTES_PER_ALERT).optional(),
});
export type Alert = z.infer<typeof Alert>;

/** What raising an alert starts from; the store fills in status, count and the last-seen fields. */
export type AlertDraft = Omit<
  Alert,
  | 'status'
  | 'count'
  | 'lastValue'
  | 'lastSeenAt'
  | 'acknowledgedAt'
  | 'acknowledgedBy'
  | 'resolvedAt'
  | 'resolvedBy'
  | 'historical'
  | 'resolution'
  | 'escalated'
  | 'escalatedAt'
  | 'notes'
>;
