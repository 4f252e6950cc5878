// The WebSocket protocol, declared once: what clients send (routed by API Gateway on
// `action`) and every message the server pushes (told apart by `type`). The senders build
// their messages with these types, clients and tests parse with these schemas, and the
// AsyncAPI document is generated from them.
import { z } from 'zod';
import { Caller } from '../domain/caller.ts';
import { MAX_SUBSCRIBED_PATIENTS } from '../domain/connection.ts';
import { RecordingFindings } from '../domain/ecg-recording.ts';
import { Id } from '../domain/identifiers.ts';
import { MAX_REPLAYED_NOTIFICATIONS, NOTIFICATION_RETENTION_DAYS, NotificationSeq } from '../domain/notification.ts';
import { Priority } from '../domain/thresholds.ts';
import { Timestamp } from '../domain/time.ts';
import { Alert, FieldProblem } from './schemas.ts';

export const SubscribeMessage = z
  .strictObject({
    action: z.literal('subscribe'),
    patientIds: z.array(Id).min(1).max(MAX_SUBSCRIBED_PATIENTS),
  })
  .meta({ id: 'SubscribeMessage', description: 'Watch these patients: their ECG analyses are pushed to this connection' });

export const PingMessage = z.strictObject({ action: z.literal('ping') }).meta({ id: 'PingMessage', description: 'Answered with a pong' });

const Seq = NotificationSeq.meta({
  description: "this notification's number in the recipient's own sequence, which only rises; resume after the last one seen",
});

export const ResumeMessage = z.strictObject({ action: z.literal('resume'), after: Seq }).meta({
  id: 'ResumeMessage',
  description: `Send me, in order, the notifications numbered above \`after\` (those missed while disconnected; kept ${NOTIFICATION_RETENTION_DAYS} days, at most ${MAX_REPLAYED_NOTIFICATIONS} per resume), then carry on live, without a gap or a repeat. \`after\`: 0 for everything kept`,
});

export const ClientMessages = { subscribe: SubscribeMessage, ping: PingMessage, resume: ResumeMessage } as const;
export type ClientAction = keyof typeof ClientMessages;
/** A client message of one action, as parsed. */
export type ClientMessage<A extends ClientAction> = z.output<(typeof ClientMessages)[A]>;

export const AlertCreatedMessage = z
  .strictObject({ type: z.literal('alert.created'), seq: Seq, alert: Alert })
  .meta({ id: 'AlertCreatedMessage', description: "A new alert on one of the recipient's patients (also stored as a notification)" });

export const AlertUpdatedMessage = z.strictObject({ type: z.literal('alert.updated'), seq: Seq, alert: Alert }).meta({
  id: 'AlertUpdatedMessage',
  description: 'An open alert repeated, or was acknowledged or resolved (also stored as a notification)',
});

export const AlertEscalatedMessage = z
  .strictObject({
    type: z.literal('alert.escalated'),
    seq: Seq,
    alertId: Id,
    patientId: Id,
    priority: Priority,
    escalatedAt: Timestamp,
    /** For clinicians; admins, who see people and not health data, are told only that one escalated. */
    alert: Alert.optional(),
  })
  .meta({
    id: 'AlertEscalatedMessage',
    description:
      "A high-priority alert nobody acknowledged in time, sent once to the patient's clinicians (with the alert) and the organisation's admins (without it)",
  });

/** The pushes that are also stored for their recipient, numbered in the recipient's sequence. */
export const NotificationMessage = z.discriminatedUnion('type', [AlertCreatedMessage, AlertUpdatedMessage, AlertEscalatedMessage]);
export type NotificationMessage = z.infer<typeof NotificationMessage>;

export const EcgAnalyzedMessage = z
  .strictObject({
    type: z.literal('ecg.analyzed'),
    recordingId: Id,
    patientId: Id,
    /** The chunk just analysed; absent on the final step, which closes the last window and has no chunk. */
    seq: z.number().int().optional(),
    final: z.boolean(),
    /** Beats found in this step. */
    beats: z.number().int(),
    heartRate: z.object({ meanBpm: z.number(), minBpm: z.number(), maxBpm: z.number() }).optional(),
    /** The recording's findings so far. */
    findings: RecordingFindings,
  })
  .meta({ id: 'EcgAnalyzedMessage', description: 'A chunk of a watched patient’s ECG was analysed' });

export const SubscribedMessage = z
  .strictObject({ type: z.literal('subscribed'), patientIds: z.array(Id) })
  .meta({ id: 'SubscribedMessage', description: 'The subscription took effect for all these patients' });

export const PongMessage = z.strictObject({ type: z.literal('pong') }).meta({ id: 'PongMessage' });

export const ResumedMessage = z
  .strictObject({
    type: z.literal('resumed'),
    after: Seq,
    /** How many notifications the replay sent (each before this message). */
    replayed: z.number().int(),
    /** The highest seq handed out so far; everything up to it was sent or was sent live before. */
    through: Seq,
    /** False when some missed notifications were past the retention, or over the per-resume limit (page GET /v1/notifications for them). */
    complete: z.boolean(),
  })
  .meta({ id: 'ResumedMessage', description: 'The replay is over; from here on pushes arrive live' });

export const ErrorMessage = z
  .strictObject({ type: z.literal('error'), message: z.string(), errors: z.array(FieldProblem).optional() })
  .meta({ id: 'ErrorMessage', description: 'A message was refused; nothing changed' });

export const ServerMessage = z.discriminatedUnion('type', [
  AlertCreatedMessage,
  AlertUpdatedMessage,
  AlertEscalatedMessage,
  ResumedMessage,
  EcgAnalyzedMessage,
  SubscribedMessage,
  PongMessage,
  ErrorMessage,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** The authorizer's context, which API Gateway hands to every later event of the connection: the caller. */
export const ConnectionContext = Caller;
