import { randomUUID } from 'node:crypto';
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseEcgChunkMessage } from '../../shared/messaging/ecg-chunk-message.ts';
import { ecgChunkQueueFromEnv } from '../../shared/messaging/ecg-chunk-queue.ts';
import { alertRaisingFromEnv } from '../../shared/services/alert-raising-from-env.ts';
import { advanceRecordingAnalysis } from '../../shared/services/ecg-analysis-service.ts';

const logger = new Logger({ serviceName: 'vigil-ecg-analyzer' });

async function analyseRecord(record: SQSRecord, context: Context): Promise<void> {
  // A malformed message fails and, after the redrive limit, waits in the DLQ for a person.
  const message = parseEcgChunkMessage(record.body);
  const outcome = await advanceRecordingAnalysis(
    { ...alertRaisingFromEnv({ logger, requestId: context.awsRequestId }), logger },
    message.recordingId,
    () => context.getRemainingTimeInMillis(),
  );
  logger.info('recording advanced', { recordingId: message.recordingId, seq: message.seq, ...outcome });
  // A backlog too long for this invocation goes on through a message of its own, rather than
  // failing this one: no 6-minute visibility wait, and no receive counted towards the DLQ.
  if (outcome.backlog) {
    await ecgChunkQueueFromEnv().enqueue({ recordingId: message.recordingId, seq: outcome.nextSeq, wakeUp: randomUUID() });
  }
}

/**
 * FIFO batches: a failure stops only its own message group (recording), whose later
 * messages are reported failed too so SQS redelivers them in order; other recordings go on.
 */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  return processPartialResponse(event, (record: SQSRecord) => analyseRecord(record, context), new SqsFifoPartialProcessorAsync(), {
    context,
    skipGroupOnError: true,
  });
};
