import type { Logger } from '@aws-lambda-powertools/logger';
import { identityProviderFromEnv } from '../../shared/auth/identity-provider.ts';
import { cursorCodecFromEnv } from '../../shared/data/paging-cursor.ts';
import { tableClientFromEnv } from '../../shared/data/table-client.ts';
import { httpFunction } from '../../shared/http/http-function.ts';
import { pushRegistrarFromEnv } from '../../shared/messaging/push-registrar.ts';
import { connectionPosterFromEnv, createNotifier } from '../../shared/realtime/connection-notifier.ts';
import { signedInRoutes } from '../../shared/services/caller-lookup.ts';
import { createUserAs, disableUserAs, getSelf, getUserAs, listUsersAs, updateUserAs } from '../../shared/services/user-service.ts';

const dependencies = (logger: Logger) => ({
  table: tableClientFromEnv(),
  identity: identityProviderFromEnv(),
  cursors: cursorCodecFromEnv(),
  notifier: createNotifier(tableClientFromEnv(), connectionPosterFromEnv(), logger),
  pushDevices: pushRegistrarFromEnv(),
});

export const handler = httpFunction(
  'users',
  {
    'GET /v1/users/me': async ({ caller, logger }) => getSelf(dependencies(logger), caller),
    'PATCH /v1/users/me': async ({ caller, body, logger }) => updateUserAs(dependencies(logger), caller, caller.userId, body),
    'POST /v1/users': async ({ caller, body, logger }) => createUserAs(dependencies(logger), caller, body),
    'GET /v1/users': async ({ caller, query, logger }) => listUsersAs(dependencies(logger), caller, query),
    'GET /v1/users/{userId}': async ({ caller, params, logger }) => getUserAs(dependencies(logger), caller, params.userId),
    'PATCH /v1/users/{userId}': async ({ caller, params, body, logger }) => updateUserAs(dependencies(logger), caller, params.userId, body),
    'DELETE /v1/users/{userId}': async ({ caller, params, logger }) => disableUserAs(dependencies(logger), caller, params.userId),
  },
  signedInRoutes,
);
