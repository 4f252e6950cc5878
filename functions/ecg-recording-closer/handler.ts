import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { DEFAULT_RECORDING_IDLE_SECONDS, ENV, positiveIntegerEnv } from '../../shared/config/env.ts';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { ecgChunkQueueFromEnv } from '../../shared/messaging/ecg-chunk-queue.ts';
import { closeIdleRecordings } from '../../shared/services/ecg-ingest-service.ts';

const logger = new Logger({ serviceName: 'vigil-ecg-recording-closer' });

/** Run on a schedule: recordings nobody finished are closed as incomplete and their analysis finishes. */
export const handler = async (_event: unknown, context: Context): Promise<{ closed: number }> => {
  logger.addContext(context);
  const idleSeconds = positiveIntegerEnv(ENV.recordingIdleSeconds, DEFAULT_RECORDING_IDLE_SECONDS);
  const sweep = await closeIdleRecordings({ table: tableClientFromEnv(), queue: ecgChunkQueueFromEnv() }, idleSeconds);
  logger.info('idle recordings closed', { ...sweep, idleSeconds });
  return sweep;
};
