// Verifies the user pool's tokens: the WebSocket authorizer checks access tokens with it, and
// the local twin's JWT authorizer accepts access and ID tokens with it, as API Gateway's
// Cognito JWT authorizer does (an ID token's audience is the app client). It trusts exactly
// one issuer, the deployed pool's (https://cognito-idp.<region>.amazonaws.com/<pool>), and
// fetches its keys from that issuer. The twin makes cognito-local issue tokens under that same
// name and serves its keys there itself; nothing in here knows about a local emulator.
import { JwtVerifier } from 'aws-jwt-verify';
import type { JwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { ENV, requireEnv } from '../config/env.ts';
import { userPoolIssuer } from './user-pool-definition.ts';

export interface VerifiedToken {
  sub: string;
  claims: Record<string, unknown>;
}

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

/** The token is missing, malformed, expired, or not ours. The message is safe to log. */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export type TokenUse = 'access' | 'id';

export interface TokenVerifierConfig {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** Which kinds of token to accept. */
  readonly tokenUses: readonly TokenUse[];
}

/**
 * The checks aws-jwt-verify leaves to us: the token kind, the app client (client_id on an
 * access token, aud on an ID token), and an expiry and issue time, which it only checks when
 * present; a token without exp would never expire.
 */
export function checkCognitoClaims(payload: JwtPayload, clientId: string, tokenUses: readonly TokenUse[]): void {
  const use = payload['token_use'];
  if (!tokenUses.includes(use as TokenUse)) throw new Error(`token_use ${String(use)} is not accepted`);
  const audience = use === 'access' ? payload['client_id'] : payload['aud'];
  if (audience !== clientId) throw new Error('the token is for another app client');
  if (typeof payload.exp !== 'number') throw new Error('the token has no exp');
  if (typeof payload.iat !== 'number') throw new Error('the token has no iat');
}

export function createTokenVerifier(config: TokenVerifierConfig, additional: { jwksCache?: JwksCache } = {}): TokenVerifier {
  if (config.tokenUses.length === 0) throw new Error('a token verifier needs at least one token use to accept');
  const verifier = JwtVerifier.create(
    {
      issuer: userPoolIssuer(config.region, config.userPoolId),
      audience: null,
      customJwtCheck: ({ payload }) => checkCognitoClaims(payload, config.clientId, config.tokenUses),
    },
    additional.jwksCache === undefined ? undefined : { jwksCache: additional.jwksCache },
  );
  return {
    async verify(token) {
      if (token.length === 0) throw new InvalidTokenError('no token');
      let payload: JwtPayload;
      try {
        payload = await verifier.verify(token);
      } catch (error) {
        throw new InvalidTokenError(`token rejected: ${error instanceof Error ? error.constructor.name : 'unknown error'}`);
      }
      const sub = payload.sub;
      if (typeof sub !== 'string' || sub.length === 0) throw new InvalidTokenError('token has no subject');
      return { sub, claims: { ...payload } };
    },
  };
}

/** The verifier a Lambda uses: the pool and client from its environment, in the Lambda's own region. */
export function accessTokenVerifierFromEnv(env: NodeJS.ProcessEnv = process.env): TokenVerifier {
  return createTokenVerifier({
    region: requireEnv('AWS_REGION', env),
    userPoolId: requireEnv(ENV.userPoolId, env),
    clientId: requireEnv(ENV.userPoolClientId, env),
    tokenUses: ['access'],
  });
}
