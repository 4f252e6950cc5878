import { cursorCodecFromEnv } from '../../shared/data/paging-cursor.ts';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { httpFunction } from '../../shared/http/http-function.ts';
import { readAccessLog, searchAudit } from '../../shared/services/audit-service.ts';
import { signedInRoutes } from '../../shared/services/caller-lookup.ts';

const dependencies = () => ({ table: tableClientFromEnv(), cursors: cursorCodecFromEnv() });

export const handler = httpFunction(
  'audit',
  {
    'GET /v1/audit': async ({ caller, query }) => searchAudit(dependencies(), caller, query),
    'GET /v1/patients/{patientId}/access-log': async ({ caller, params, query }) =>
      readAccessLog(dependencies(), caller, params.patientId, query),
  },
  signedInRoutes,
);
