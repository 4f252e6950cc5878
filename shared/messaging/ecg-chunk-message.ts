// The one message on the ECG queue, for the uploader that sends it and the analyser that
// receives it: "recording R has news". It never carries samples.
import { z } from 'zod';
import { ECG_LIMITS } from '../domain/ecg-recording.ts';
import { Id } from '../domain/identifiers.ts';

export const EcgChunkMessage = z.strictObject({
  recordingId: Id,
  /** The chunk that arrived, or where the analysis stood when the message was sent. */
  seq: z
    .number()
    .int()
    .min(0)
    .max(ECG_LIMITS.maxSeq + 1),
  /**
   * Set on a wake-up rather than a chunk's own message (the rest of a backlog, a recording
   * cancelled or closed, a sweep's retry): a fresh id, so FIFO de-duplication never swallows
   * it as a repeat of another message.
   */
  wakeUp: z.uuid().optional(),
});
export type EcgChunkMessage = z.infer<typeof EcgChunkMessage>;

/** Parses a queue message body; a malformed one throws (and, after the redrive limit, waits in the DLQ). */
export function parseEcgChunkMessage(body: string): EcgChunkMessage {
  return EcgChunkMessage.parse(JSON.parse(body));
}
