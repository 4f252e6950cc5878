// One look at (or change to) a patient's data, allowed or refused. Entries say who, what,
// which patient and object, when and with what outcome; never a health value.
import { z } from 'zod';
import { Id } from './identifiers.ts';
import { Role } from './roles.ts';

/** How long entries are kept: HIPAA's six years for documentation (45 CFR 164.316(b)(2)). */
export const AUDIT_RETENTION_DAYS = 6 * 366;

export const AuditEntry = z.object({
  entryId: Id,
  orgId: Id,
  /** UTC (Z): entries sort and fall into days by this text. */
  at: z.iso.datetime(),
  actorId: Id,
  actorRole: Role,
  /** The route key ("GET /v1/ecg/{recordingId}") or the WebSocket event ("WS subscribe", "WS push alert.created"). */
  action: z.string().min(1).max(200),
  /** Absent when the request named no patient and reached none (an unknown recording id). */
  patientId: Id.optional(),
  /** The object the request named (a recording, an alert, a user), when not the patient. */
  objectId: z.string().max(200).optional(),
  /** The HTTP status answered, or 200 for a push delivered. */
  outcome: z.number().int().min(100).max(599),
  requestId: z.string().max(200),
  sourceIp: z.string().max(64).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const isAllowedOutcome = (outcome: number) => outcome < 400;
