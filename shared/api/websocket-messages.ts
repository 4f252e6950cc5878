// What clients may send over the WebSocket, routed by API Gateway on `action`.
import { z } from 'zod';
import { Id, Role } from './schemas.ts';

/** A connection may watch this many patients at once; a clinician's screen shows fewer. */
export const MAX_SUBSCRIBED_PATIENTS = 100;

export const SubscribeMessage = z.strictObject({
  action: z.literal('subscribe'),
  patientIds: z.array(Id).min(1).max(MAX_SUBSCRIBED_PATIENTS),
});

export const PingMessage = z.strictObject({ action: z.literal('ping') });

/** The authorizer's context, which API Gateway hands to every later event of the connection. */
export const ConnectionContext = z.object({
  userId: Id,
  orgId: Id,
  role: Role,
});
