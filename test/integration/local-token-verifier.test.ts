// Local mode of the access token verifier against a loopback JWKS endpoint shaped like
// cognito-local's (http, /<poolId>/.well-known/jwks.json).
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenVerifierFromEnv, InvalidTokenError } from '../../shared/auth/token-verifier.ts';
import { COGNITO_LOCAL_PUBLIC_JWK, signWithCognitoLocalKey } from '../support/forged-tokens.ts';

const POOL_ID = 'local_testpool';
const CLIENT_ID = 'local-client';
let jwksServer: Server;
let issuer: string;

beforeAll(async () => {
  jwksServer = createServer((request, response) => {
    if (request.url === `/${POOL_ID}/.well-known/jwks.json`) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [COGNITO_LOCAL_PUBLIC_JWK] }));
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const address = jwksServer.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  issuer = `http://127.0.0.1:${address.port}/${POOL_ID}`;
});

afterAll(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

const claims = (overrides: Record<string, unknown> = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: 'user-1',
    iss: issuer,
    client_id: CLIENT_ID,
    token_use: 'access',
    'cognito:groups': ['clinician'],
    iat: now,
    exp: now + 600,
    ...overrides,
  };
};
const localVerifier = () =>
  accessTokenVerifierFromEnv({ VIGIL_USER_POOL_ID: POOL_ID, VIGIL_USER_POOL_CLIENT_ID: CLIENT_ID, VIGIL_LOCAL_ISSUER: issuer });

describe('access token verifier in local mode', () => {
  it('accepts an access token from the configured local issuer, keeping claims as issued', async () => {
    const verified = await localVerifier().verify(signWithCognitoLocalKey(claims()));
    expect(verified.sub).toBe('user-1');
    expect(verified.claims['cognito:groups']).toEqual(['clinician']);
  });

  it.each([
    ['another app client', { client_id: 'someone-else' }],
    ['an id token', { token_use: 'id' }],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 60 }],
    ['another issuer', { iss: 'http://127.0.0.1:1/other_pool' }],
  ])('rejects %s', async (_name, overrides) => {
    await expect(localVerifier().verify(signWithCognitoLocalKey(claims(overrides)))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('as the HTTP API authorizer, also accepts an ID token for the app client, and no other', async () => {
    const authorizer = accessTokenVerifierFromEnv(
      { VIGIL_USER_POOL_ID: POOL_ID, VIGIL_USER_POOL_CLIENT_ID: CLIENT_ID, VIGIL_LOCAL_ISSUER: issuer },
      ['access', 'id'],
    );
    const idToken = (aud: string) => signWithCognitoLocalKey(claims({ token_use: 'id', client_id: undefined, aud }));
    expect((await authorizer.verify(idToken(CLIENT_ID))).claims['token_use']).toBe('id');
    await expect(authorizer.verify(idToken('someone-else'))).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(authorizer.verify(signWithCognitoLocalKey(claims({ token_use: 'refresh' })))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('rejects a token whose payload was altered after signing', async () => {
    const [header, , signature] = signWithCognitoLocalKey(claims()).split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify(claims({ sub: 'admin' }))).toString('base64url')}.${signature}`;
    await expect(localVerifier().verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
