import { describe, expect, it } from 'vitest';
import { accessTokenVerifierFromEnv, InvalidTokenError } from '../../../shared/auth/token-verifier.ts';
import { signWithCognitoLocalKey } from '../../support/forged-tokens.ts';

describe('access token verifier outside local mode', () => {
  it('rejects a token from the local issuer, on its issuer, before fetching any key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = signWithCognitoLocalKey({
      sub: 'user-1',
      iss: 'http://localhost:9229/local_testpool',
      client_id: 'client',
      token_use: 'access',
      iat: now,
      exp: now + 600,
    });
    const verifier = accessTokenVerifierFromEnv({ VIGIL_USER_POOL_ID: 'eu-west-1_AbCdEfGhI', VIGIL_USER_POOL_CLIENT_ID: 'client' });
    const rejection = verifier.verify(token);
    await expect(rejection).rejects.toBeInstanceOf(InvalidTokenError);
    // aws-jwt-verify refuses an issuer it was not configured for (ParameterValidationError)
    // without any network call; a key fetch would have failed differently here.
    await expect(rejection).rejects.toThrow('ParameterValidationError');
  });

  it('rejects an empty token', async () => {
    const verifier = accessTokenVerifierFromEnv({ VIGIL_USER_POOL_ID: 'eu-west-1_AbCdEfGhI', VIGIL_USER_POOL_CLIENT_ID: 'client' });
    await expect(verifier.verify('')).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
