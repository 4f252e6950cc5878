import type { Logger } from '@aws-lambda-powertools/logger';
import { cursorCodecFromEnv } from '../../shared/data/paging-cursor.ts';
import { httpFunction } from '../../shared/http/http-function.ts';
import { alertRaisingFromEnv } from '../../shared/services/alert-raising-from-env.ts';
import { signedInRoutes } from '../../shared/services/caller-lookup.ts';
import { ingestVitals, latestVitals, readVitals } from '../../shared/services/vitals-service.ts';

const dependencies = (request: { logger: Logger; requestId: string }) => ({
  ...alertRaisingFromEnv(request),
  cursors: cursorCodecFromEnv(),
});

export const handler = httpFunction(
  'vitals',
  {
    'POST /v1/patients/{patientId}/vitals': async (request) =>
      ingestVitals(dependencies(request), request.caller, request.params.patientId, request.body.samples),
    'GET /v1/patients/{patientId}/vitals': async (request) =>
      readVitals(dependencies(request), request.caller, request.params.patientId, request.query),
    'GET /v1/patients/{patientId}/vitals/latest': async (request) =>
      latestVitals(dependencies(request), request.caller, request.params.patientId),
  },
  signedInRoutes,
);
