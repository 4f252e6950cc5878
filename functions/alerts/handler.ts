import type { Logger } from '@aws-lambda-powertools/logger';
import { cursorCodecFromEnv } from '../../shared/data/paging-cursor.ts';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { httpFunction } from '../../shared/http/http-function.ts';
import { connectionPosterFromEnv, createNotifier } from '../../shared/realtime/connection-notifier.ts';
import { acknowledge, listAlerts, resolve } from '../../shared/services/alert-service.ts';
import { callerFromTable } from '../../shared/services/caller-lookup.ts';

const dependencies = (logger: Logger) => ({
  table: tableClientFromEnv(),
  notifier: createNotifier(tableClientFromEnv(), connectionPosterFromEnv(), logger),
  cursors: cursorCodecFromEnv(),
});

export const handler = httpFunction(
  'alerts',
  {
    'GET /v1/alerts': async ({ caller, query, logger }) => listAlerts(dependencies(logger), caller, query),
    'POST /v1/alerts/{alertId}/acknowledge': async ({ caller, params, logger }) =>
      acknowledge(dependencies(logger), caller, params.alertId),
    'POST /v1/alerts/{alertId}/resolve': async ({ caller, params, logger }) => resolve(dependencies(logger), caller, params.alertId),
  },
  callerFromTable,
);
