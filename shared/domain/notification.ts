// A notification: one push to one person, kept so that nothing is lost while they are offline.
// Each person's notifications carry a sequence number that only rises; a client that was away
// asks for everything after the last number it saw.
import { z } from 'zod';
import { Id } from './identifiers.ts';
import { Timestamp } from './time.ts';

/** Notifications are kept this long; a client away longer gets what is left and is told so. */
export const NOTIFICATION_RETENTION_DAYS = 30;

/** `POST /v1/notifications/read {"seqs"}` names at most this many. */
export const MAX_READ_SEQS = 100;

/** A WebSocket `resume` replays at most this many notifications; past them it says where to page on. */
export const MAX_REPLAYED_NOTIFICATIONS = 1_000;

export const NotificationSeq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const Notification = z.object({
  userId: Id,
  seq: NotificationSeq,
  createdAt: Timestamp,
  readAt: Timestamp.optional(),
  /** What was pushed, seq included: an alert message as the WebSocket carried it. */
  message: z.record(z.string(), z.unknown()),
});
export type Notification = z.infer<typeof Notification>;

export const notificationExpiry = (createdAt: Date) => Math.floor(createdAt.getTime() / 1000) + NOTIFICATION_RETENTION_DAYS * 24 * 60 * 60;
