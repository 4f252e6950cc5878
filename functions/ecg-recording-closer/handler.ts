import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { DEFAULT_RECORDING_IDLE_SECONDS, ENV, positiveIntegerEnv } from '../../shared/config/env.ts';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { ecgChunkQueueFromEnv } from '../../shared/messaging/ecg-chunk-queue.ts';
import { sweepUnfinishedRecordings, type UnfinishedRecordingSweep } from '../../shared/services/ecg-ingest-service.ts';

const logger = new Logger({ serviceName: 'vigil-ecg-recording-closer' });

/**
 * Run on a schedule: recordings nobody finished are closed as incomplete, and every recording
 * without final findings long after its last change has its analysis woken to finish.
 */
export const handler = async (_event: unknown, context: Context): Promise<UnfinishedRecordingSweep> => {
  logger.addContext(context);
  const idleSeconds = positiveIntegerEnv(ENV.recordingIdleSeconds, DEFAULT_RECORDING_IDLE_SECONDS);
  const sweep = await sweepUnfinishedRecordings({ table: tableClientFromEnv(), queue: ecgChunkQueueFromEnv() }, idleSeconds);
  if (sweep.failed > 0) logger.warn('some unfinished recordings could not be swept; the next run tries again', { ...sweep, idleSeconds });
  else logger.info('unfinished recordings swept', { ...sweep, idleSeconds });
  return sweep;
};
