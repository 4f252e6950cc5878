// The ECG chunk queue and its dead-letter queue, described once for the CDK stack and the
// local twin (fauxqs). FIFO with one message group per recording keeps a recording's chunks
// in upload order while different recordings are analysed in parallel.
import type { EcgChunkMessage } from './ecg-chunk-message.ts';

export const ECG_QUEUE = {
  /** Logical name; FIFO queue names must end in .fifo. */
  name: 'vigil-ecg-chunks.fifo',
  deadLetterName: 'vigil-ecg-chunks-dlq.fifo',
  /** Receives before a chunk message is parked in the DLQ: enough to ride out throttling. */
  maxReceiveCount: 5,
  /** Must exceed the analysis Lambda timeout (AWS requires at least 6x for event sources). */
  visibilityTimeoutSeconds: 6 * 60,
  retentionSeconds: 4 * 24 * 60 * 60,
  deadLetterRetentionSeconds: 14 * 24 * 60 * 60,
  /** Records the analysis Lambda takes per invocation. */
  batchSize: 10,
} as const;

export function ecgChunkMessageGroupId(message: EcgChunkMessage): string {
  return message.recordingId;
}

/** Same chunk, same id: FIFO de-duplication absorbs a repeated PUT within five minutes. */
export function ecgChunkDeduplicationId(message: EcgChunkMessage): string {
  return message.wakeUp ? `${message.recordingId}-${message.seq}-${message.wakeUp}` : `${message.recordingId}-${message.seq}`;
}
