import { identityProviderFromEnv } from '../../shared/auth/identity-provider.ts';
import { httpFunction, PUBLIC_ROUTES_ONLY } from '../../shared/http/http-function.ts';
import { refreshTokens, signIn } from '../../shared/services/auth-service.ts';

export const handler = httpFunction(
  'auth',
  {
    'POST /v1/auth/login': async ({ body }) => signIn(identityProviderFromEnv(), body.email, body.password, body.newPassword),
    'POST /v1/auth/refresh': async ({ body }) => refreshTokens(identityProviderFromEnv(), body.refreshToken),
  },
  PUBLIC_ROUTES_ONLY,
);
