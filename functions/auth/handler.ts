import { identityProviderFromEnv } from '../../shared/auth/identity-provider.ts';
import { bearerToken, httpFunction } from '../../shared/http/http-function.ts';
import { changePassword, refreshTokens, resetPassword, signIn, signOut, startPasswordReset } from '../../shared/services/auth-service.ts';
import { signedInRoutes } from '../../shared/services/caller-lookup.ts';

export const handler = httpFunction(
  'auth',
  {
    'POST /v1/auth/login': async ({ body }) => signIn(identityProviderFromEnv(), body.email, body.password, body.newPassword),
    'POST /v1/auth/refresh': async ({ body }) => refreshTokens(identityProviderFromEnv(), body.refreshToken),
    'POST /v1/auth/logout': async ({ body }) => signOut(identityProviderFromEnv(), body.refreshToken),
    'POST /v1/auth/password': async ({ body, event }) =>
      changePassword(identityProviderFromEnv(), bearerToken(event), body.currentPassword, body.newPassword),
    'POST /v1/auth/forgot-password': async ({ body }) => startPasswordReset(identityProviderFromEnv(), body.email),
    'POST /v1/auth/reset-password': async ({ body }) => resetPassword(identityProviderFromEnv(), body.email, body.code, body.newPassword),
  },
  signedInRoutes,
);
