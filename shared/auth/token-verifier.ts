// Verifies Cognito tokens for the WebSocket authorizer (access tokens) and the local twin's
// JWT authorizer (access and ID tokens, as API Gateway's Cognito JWT authorizer accepts an ID
// token whose audience is the app client). In AWS it trusts only the deployed user pool. The local twin sets
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

export type TokenUse = 'access' | 'id';

export function accessTokenVerifierFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  tokenUses: readonly TokenUse[] = ['access'],
): AccessTokenVerifier {
  if (tokenUses.length === 0) throw new Error('a token verifier needs at least one token use to accept');
  const userPoolId = requireEnv(ENV.userPoolId, env);
  const clientId = requireEnv(ENV.userPoolClientId, env);
  const localIssuer = optionalEnv(ENV.localIssuer, env);
  const verify =
    localIssuer === undefined ? cognitoVerify(userPoolId, clientId, tokenUses) : localIssuerVerify(localIssuer, clientId, tokenUses);
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

function cognitoVerify(userPoolId: string, clientId: string, tokenUses: readonly TokenUse[]): (token: string) => Promise<JwtPayload> {
  // tokenUse null: aws-jwt-verify then checks client_id (access) or aud (id) against the client.
  const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: tokenUses.length === 1 ? tokenUses[0]! : null });
  return (token) => verifier.verify(token);
}

/** The audience check of a Cognito token: client_id on an access token, aud on an ID token. */
function checkTokenUse(payload: JwtPayload, clientId: string, tokenUses: readonly TokenUse[]): void {
  const use = payload['token_use'];
  if (!tokenUses.includes(use as TokenUse)) throw new Error(`token_use ${String(use)} is not accepted`);
  const audience = use === 'access' ? payload['client_id'] : payload['aud'];
  if (audience !== clientId) throw new Error('the token is for another app client');
}

// aws-jwt-verify only fetches JWKS over https, and cognito-local serves http, so the JWKS
// is fetched here once and handed to the verifier's cache.
function localIssuerVerify(issuer: string, clientId: string, tokenUses: readonly TokenUse[]): (token: string) => Promise<JwtPayload> {
  const verifier = JwtVerifier.create({
    issuer,
    audience: null,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    customJwtCheck: ({ payload }) => checkTokenUse(payload, clientId, tokenUses),
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
