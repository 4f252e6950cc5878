// The WebSocket protocol, declared once: what clients send (routed by API Gateway on
// `action`) and every message the server pushes (told apart by `type`). The senders build
// their messages with these types, clients and tests parse with these schemas, and the
// AsyncAPI document is generated from them.
import { z } from 'zod';
import { Caller } from '../domain/caller.ts';
import { MAX_SUBSCRIBED_PATIENTS } from '../domain/connection.ts';
import { RecordingFindings } from '../domain/ecg-recording.ts';
import { Id } from '../domain/identifiers.ts';
import { Alert, FieldProblem } from './schemas.ts';

export const SubscribeMessage = z
  .strictObject({
    action: z.literal('subscribe'),
    patientIds: z.array(Id).min(1).max(MAX_SUBSCRIBED_PATIENTS),
  })
  .meta({ id: 'SubscribeMessage', description: 'Watch these patients: their ECG analyses are pushed to this connection' });

export const PingMessage = z.strictObject({ action: z.literal('ping') }).meta({ id: 'PingMessage', description: 'Answered with a pong' });

export const ClientMessages = { subscribe: SubscribeMessage, ping: PingMessage } as const;

export const AlertCreatedMessage = z
  .strictObject({ type: z.literal('alert.created'), alert: Alert })
  .meta({ id: 'AlertCreatedMessage', description: "A new alert on one of the recipient's patients" });

export const AlertUpdatedMessage = z
  .strictObject({ type: z.literal('alert.updated'), alert: Alert })
  .meta({ id: 'AlertUpdatedMessage', description: 'An open alert repeated, or was acknowledged or resolved' });

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

export const ErrorMessage = z
  .strictObject({ type: z.literal('error'), message: z.string(), errors: z.array(FieldProblem).optional() })
  .meta({ id: 'ErrorMessage', description: 'A message was refused; nothing changed' });

export const ServerMessage = z.discriminatedUnion('type', [
  AlertCreatedMessage,
  AlertUpdatedMessage,
  EcgAnalyzedMessage,
  SubscribedMessage,
  PongMessage,
  ErrorMessage,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** The authorizer's context, which API Gateway hands to every later event of the connection: the caller. */
export const ConnectionContext = Caller;
