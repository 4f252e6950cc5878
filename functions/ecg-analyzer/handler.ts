import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { connectionPosterFromEnv, createNotifier } from '../../shared/realtime/connection-notifier.ts';
import { advanceRecordingAnalysis } from '../../shared/services/ecg-analysis-service.ts';

const logger = new Logger({ serviceName: 'vigil-ecg-analyzer' });
const ChunkMessage = z.object({ recordingId: z.uuid(), seq: z.number().int().min(0) });

async function analyseRecord(record: SQSRecord, context: Context): Promise<void> {
  // A malformed message fails and, after the redrive limit, waits in the DLQ for a person.
  const message = ChunkMessage.parse(JSON.parse(record.body));
  const table = tableClientFromEnv();
  const outcome = await advanceRecordingAnalysis(
    { table, notifier: createNotifier(table, connectionPosterFromEnv()), logger },
    message.recordingId,
    () => context.getRemainingTimeInMillis(),
  );
  logger.info('recording advanced', { recordingId: message.recordingId, seq: message.seq, ...outcome });
  // A backlog too long for one invocation: failing this message brings it back, and the
  // analysis resumes from the saved state.
  if (outcome.backlog) throw new Error(`recording ${message.recordingId} has more chunks than fit one invocation; continuing on retry`);
}

/**
 * FIFO batches: a failure stops only its own message group (recording), whose later
 * messages are reported failed too so SQS redelivers them in order; other recordings go on.
 */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  processPartialResponse(event, (record: SQSRecord) => analyseRecord(record, context), new SqsFifoPartialProcessorAsync(), {
    context,
    skipGroupOnError: true,
  });
