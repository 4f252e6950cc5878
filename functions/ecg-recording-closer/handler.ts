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
  const summary = { closed: sweep.closed, rewoken: sweep.rewoken, failed: sweep.failures.length, idleSeconds };
  for (const failure of sweep.failures) logger.warn('an unfinished recording could not be swept; the next run tries again', failure);
  logger.info('unfinished recordings swept', summary);
  return sweep;
};
