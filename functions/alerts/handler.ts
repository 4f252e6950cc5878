import { callerFromTable } from '../../shared/auth/caller-lookup.ts';
import { cursorCodecFromEnv } from '../../shared/data/paging-cursor.ts';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { httpFunction } from '../../shared/http/http-function.ts';
import { connectionPosterFromEnv, createNotifier } from '../../shared/realtime/connection-notifier.ts';
import { acknowledge, listAlerts, resolve } from '../../shared/services/alert-service.ts';

const dependencies = () => ({
  table: tableClientFromEnv(),
  notifier: createNotifier(tableClientFromEnv(), connectionPosterFromEnv()),
  cursors: cursorCodecFromEnv(),
});

export const handler = httpFunction(
  'alerts',
  {
    'GET /v1/alerts': async ({ caller, query }) => listAlerts(dependencies(), caller, query),
    'POST /v1/alerts/{alertId}/acknowledge': async ({ caller, params }) => acknowledge(dependencies(), caller, params.alertId),
    'POST /v1/alerts/{alertId}/resolve': async ({ caller, params }) => resolve(dependencies(), caller, params.alertId),
  },
  callerFromTable,
);
