// The notifications routes' schemas: a stored notification is a pushed message (websocket-messages.ts)
// with when it was stored and whether it was read.
import { z } from 'zod';
import { MAX_READ_SEQS, NotificationSeq } from '../domain/notification.ts';
import { Timestamp } from '../domain/time.ts';
import { PageQuery } from './schemas.ts';
import { AlertCreatedMessage, AlertEscalatedMessage, AlertUpdatedMessage } from './websocket-messages.ts';

export const NotificationListQuery = z.strictObject({
  unread: z.enum(['true', 'false']).optional().meta({ description: 'true: only unread ones' }),
  ...PageQuery,
});
export const MarkNotificationsReadRequest = z
  .strictObject({
    upToSeq: NotificationSeq.optional().meta({ description: 'every notification numbered up to and including this' }),
    seqs: z
      .array(NotificationSeq)
      .min(1)
      .max(MAX_READ_SEQS)
      .optional()
      .meta({ description: `these, at most ${MAX_READ_SEQS}` }),
  })
  .refine((request) => (request.upToSeq === undefined) !== (request.seqs === undefined), { message: 'give upToSeq or seqs, not both' })
  .meta({ id: 'MarkNotificationsReadRequest' });
export const MarkedRead = z
  .strictObject({ marked: z.number().int().meta({ description: 'how many were unread until now' }), unread: z.number().int() })
  .meta({ id: 'MarkedRead' });
export const UnreadCount = z
  .strictObject({ unread: z.number().int(), lastSeq: NotificationSeq.meta({ description: 'the highest number handed out so far' }) })
  .meta({ id: 'UnreadCount' });
const Stored = { createdAt: Timestamp, read: z.boolean(), readAt: Timestamp.optional() };
export const Notification = z
  .discriminatedUnion('type', [
    AlertCreatedMessage.extend(Stored),
    AlertUpdatedMessage.extend(Stored),
    AlertEscalatedMessage.extend(Stored),
  ])
  .meta({ id: 'Notification', description: 'A push as it was sent (same seq), with when and whether it was read' });
export const NotificationPage = z
  .strictObject({ items: z.array(Notification), nextCursor: z.string().optional() })
  .meta({ id: 'NotificationPage' });
