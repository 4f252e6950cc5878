// Verifies Cognito access tokens for the WebSocket authorizer and the local twin's JWT
// authorizer. In AWS it trusts only the deployed user pool. The local twin sets
// VIGIL_LOCAL_ISSUER to cognito-local's issuer; that issuer signs with a key published in
// cognito-local's source, so it is trusted only when that variable is set.
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { ENV, optionalEnv, requireEnv } from '../config/env.ts';

export interface VerifiedAccessToken {
  sub: string;
  claims: Record<string, unknown>;
}

export interface AccessTokenVerifier {
  verify(token: string): Promise<VerifiedAccessToken>;
}

/** The token is missing, malformed, expired, or not ours. The message is safe to log. */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export function accessTokenVerifierFromEnv(env: NodeJS.ProcessEnv = process.env): AccessTokenVerifier {
  const userPoolId = requireEnv(ENV.userPoolId, env);
  const clientId = requireEnv(ENV.userPoolClientId, env);
  const localIssuer = optionalEnv(ENV.localIssuer, env);
  const verify = localIssuer === undefined
    ? cognitoVerify(userPoolId, clientId)
    : localIssuerVerify(localIssuer, clientId);
  return {
    async verify(token) {
      if (token.length === 0) throw new InvalidTokenError('no token');
      let payload: JwtPayload;
      try {
        payload = await verify(token);
      } catch (error) {
        throw new InvalidTokenError(`token rejected: ${error instanceof Error ? error.constructor.name : 'unknown error'}`);
      }
      const sub = payload.sub;
      if (typeof sub !== 'string' || sub.length === 0) throw new InvalidTokenError('token has no subject');
      return { sub, claims: { ...payload } };
    },
  };
}

function cognitoVerify(userPoolId: string, clientId: string): (token: string) => Promise<JwtPayload> {
  const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'access' });
  return (token) => verifier.verify(token);
}

// aws-jwt-verify only fetches JWKS over https, and cognito-local serves http, so the JWKS
// is fetched here once and handed to the verifier's cache.
function localIssuerVerify(issuer: string, clientId: string): (token: string) => Promise<JwtPayload> {
  const verifier = JwtVerifier.create({
    issuer,
    audience: null,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    customJwtCheck: ({ payload }) => {
      if (payload['token_use'] !== 'access') throw new Error('token_use is not access');
      if (payload['client_id'] !== clientId) throw new Error('client_id does not match');
    },
  });
  let jwksLoaded: Promise<void> | undefined;
  const loadJwks = async () => {
    const response = await fetch(`${issuer}/.well-known/jwks.json`);
    if (!response.ok) throw new Error(`JWKS fetch failed with ${response.status}`);
    verifier.cacheJwks((await response.json()) as Jwks);
  };
  return async (token) => {
    jwksLoaded ??= loadJwks().catch((error: unknown) => {
      jwksLoaded = undefined;
      throw error;
    });
    await jwksLoaded;
    return verifier.verify(token);
  };
}
