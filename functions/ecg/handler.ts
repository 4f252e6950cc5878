import { DEFAULT_ECG_RETENTION_DAYS, ENV, positiveIntegerEnv } from '../../shared/config/env.ts';
import { cursorCodecFromEnv } from '../../shared/data/paging-cursor.ts';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { httpFunction } from '../../shared/http/http-function.ts';
import { ecgChunkQueueFromEnv } from '../../shared/messaging/ecg-chunk-queue.ts';
import { signedInRoutes } from '../../shared/services/caller-lookup.ts';
import { listRecordingsOf } from '../../shared/services/ecg-review-service.ts';
import { cancelRecording, completeUpload, showRecording, startRecording, uploadChunk } from '../../shared/services/ecg-ingest-service.ts';

const dependencies = () => ({
  table: tableClientFromEnv(),
  queue: ecgChunkQueueFromEnv(),
  retentionDays: positiveIntegerEnv(ENV.ecgRetentionDays, DEFAULT_ECG_RETENTION_DAYS),
});
const review = () => ({ table: tableClientFromEnv(), cursors: cursorCodecFromEnv() });

export const handler = httpFunction(
  'ecg',
  {
    'POST /v1/patients/{patientId}/ecg': async ({ caller, params, body }) => startRecording(dependencies(), caller, params.patientId, body),
    'PUT /v1/ecg/{recordingId}/chunks/{seq}': async ({ caller, params, body }) =>
      uploadChunk(dependencies(), caller, params.recordingId, params.seq, body),
    'POST /v1/ecg/{recordingId}/complete': async ({ caller, params }) => completeUpload(dependencies(), caller, params.recordingId),
    'POST /v1/ecg/{recordingId}/cancel': async ({ caller, params }) => cancelRecording(dependencies(), caller, params.recordingId),
    'GET /v1/patients/{patientId}/ecg': async ({ caller, params, query }) => listRecordingsOf(review(), caller, params.patientId, query),
    'GET /v1/ecg/{recordingId}': async ({ caller, params }) => showRecording(dependencies(), caller, params.recordingId),
  },
  signedInRoutes,
);
