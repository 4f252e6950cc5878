import type { Logger } from '@aws-lambda-powertools/logger';
import { cursorCodecFromEnv } from '../../shared/data/paging-cursor.ts';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { httpFunction } from '../../shared/http/http-function.ts';
import { connectionPosterFromEnv, createNotifier } from '../../shared/realtime/connection-notifier.ts';
import { acknowledge, getAlertAs, listAlerts, resolve } from '../../shared/services/alert-service.ts';
import { signedInRoutes } from '../../shared/services/caller-lookup.ts';

const dependencies = ({ logger, requestId }: { logger: Logger; requestId: string }) => ({
  table: tableClientFromEnv(),
  notifier: createNotifier(tableClientFromEnv(), connectionPosterFromEnv(), logger),
  cursors: cursorCodecFromEnv(),
  requestId,
});

export const handler = httpFunction(
  'alerts',
  {
    'GET /v1/alerts': async (request) => listAlerts(dependencies(request), request.caller, request.query),
    'GET /v1/alerts/{alertId}': async (request) => getAlertAs(dependencies(request), request.caller, request.params.alertId),
    'POST /v1/alerts/{alertId}/acknowledge': async (request) => acknowledge(dependencies(request), request.caller, request.params.alertId),
    'POST /v1/alerts/{alertId}/resolve': async (request) => resolve(dependencies(request), request.caller, request.params.alertId),
  },
  signedInRoutes,
);
