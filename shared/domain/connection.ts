// A clinician's (or patient's, or caregiver's) open WebSocket and the patients it watches.
import { z } from 'zod';
import { Id } from './identifiers.ts';
import { Role } from './roles.ts';
import { Timestamp } from './time.ts';

/** Screens one person may hold open at once; the next connection is refused. */
export const MAX_CONNECTIONS_PER_USER = 10;

/** A connection may watch this many patients at once; a clinician's screen shows fewer. */
export const MAX_SUBSCRIBED_PATIENTS = 100;

export const Connection = z.object({
  /** API Gateway's id: 12 random bytes in base64, so it may hold '/', '+' and '='. */
  connectionId: z.string().min(1).max(128),
  userId: Id,
  orgId: Id,
  role: Role,
  connectedAt: Timestamp,
  /** A string set in the table (absent until the first subscription: DynamoDB has no empty sets). */
  subscriptions: z
    .set(Id)
    .optional()
    .transform((patients) => [...(patients ?? [])]),
});
export type Connection = z.infer<typeof Connection>;
