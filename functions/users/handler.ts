import { callerFromTable } from '../../shared/services/caller-lookup.ts';
import { identityProviderFromEnv } from '../../shared/auth/identity-provider.ts';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { httpFunction } from '../../shared/http/http-function.ts';
import { createUserAs, getSelf } from '../../shared/services/user-service.ts';

const dependencies = () => ({ table: tableClientFromEnv(), identity: identityProviderFromEnv() });

export const handler = httpFunction(
  'users',
  {
    'GET /v1/users/me': async ({ caller }) => getSelf(dependencies(), caller),
    'POST /v1/users': async ({ caller, body }) => createUserAs(dependencies(), caller, body),
  },
  callerFromTable,
);
