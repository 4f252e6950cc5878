import type { Logger } from '@aws-lambda-powertools/logger';
import { cursorCodecFromEnv } from '../../shared/data/paging-cursor.ts';
import { httpFunction } from '../../shared/http/http-function.ts';
import { alertRaisingFromEnv } from '../../shared/services/alert-raising-from-env.ts';
import { acknowledge, addNote, getAlertAs, listAlerts, resolve } from '../../shared/services/alert-service.ts';
import { signedInRoutes } from '../../shared/services/caller-lookup.ts';
import { callSos, cancelSos } from '../../shared/services/sos-service.ts';

const dependencies = (request: { logger: Logger; requestId: string }) => ({
  ...alertRaisingFromEnv(request),
  cursors: cursorCodecFromEnv(),
});

export const handler = httpFunction(
  'alerts',
  {
    'GET /v1/alerts': async (request) => listAlerts(dependencies(request), request.caller, request.query),
    'GET /v1/alerts/{alertId}': async (request) => getAlertAs(dependencies(request), request.caller, request.params.alertId),
    'POST /v1/alerts/{alertId}/notes': async (request) =>
      addNote(dependencies(request), request.caller, request.params.alertId, request.body.text),
    'POST /v1/alerts/{alertId}/acknowledge': async (request) => acknowledge(dependencies(request), request.caller, request.params.alertId),
    'POST /v1/alerts/{alertId}/resolve': async (request) => resolve(dependencies(request), request.caller, request.params.alertId),
    'POST /v1/patients/{patientId}/sos': async (request) =>
      callSos(dependencies(request), request.caller, request.params.patientId, request.body ?? {}),
    'POST /v1/patients/{patientId}/sos/cancel': async (request) =>
      cancelSos(dependencies(request), request.caller, request.params.patientId),
  },
  signedInRoutes,
);
