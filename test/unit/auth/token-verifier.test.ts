// The token verifier trusts exactly the configured pool's issuer and its key set, and checks
// what aws-jwt-verify leaves to its caller. Keys are served from memory here, as the twin
// serves cognito-local's; no network is used.
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier, InvalidTokenError, type TokenUse } from '../../../shared/auth/token-verifier.ts';
import { userPoolIssuer } from '../../../shared/auth/user-pool-definition.ts';
import { COGNITO_LOCAL_PUBLIC_JWK, signWithCognitoLocalKey } from '../../support/forged-tokens.ts';

const REGION = 'eu-west-1';
const POOL_ID = 'eu-west-1_TestPool1';
const CLIENT_ID = 'app-client';
const ISSUER = userPoolIssuer(REGION, POOL_ID);

function verifier(tokenUses: readonly TokenUse[] = ['access']) {
  const fetched: string[] = [];
  const jwksCache = new SimpleJwksCache({
    fetcher: {
      fetch: async (uri) => {
        fetched.push(uri);
        return new TextEncoder().encode(JSON.stringify({ keys: [COGNITO_LOCAL_PUBLIC_JWK] })).buffer as ArrayBuffer;
      },
    },
  });
  return { verifier: createTokenVerifier({ region: REGION, userPoolId: POOL_ID, clientId: CLIENT_ID, tokenUses }, { jwksCache }), fetched };
}

const claims = (overrides: Record<string, unknown> = {}) => {
  const now = Math.floor(Date.now() / 1000);
  const all: Record<string, unknown> = {
    sub: 'user-1',
    iss: ISSUER,
    client_id: CLIENT_ID,
    token_use: 'access',
    'cognito:groups': ['clinician'],
    iat: now,
    exp: now + 600,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
};

describe('token verifier', () => {
  it("accepts the pool's access token, keeping its claims, with keys from the pool's own JWKS address", async () => {
    const { verifier: verify, fetched } = verifier();
    const verified = await verify.verify(signWithCognitoLocalKey(claims()));
    expect(verified.sub).toBe('user-1');
    expect(verified.claims['cognito:groups']).toEqual(['clinician']);
    expect(fetched).toEqual([`${ISSUER}/.well-known/jwks.json`]);
  });

  // Defect: a token without exp was accepted over HTTP and at WebSocket connect, so it never expired.
  it.each([
    { what: 'a token without exp', overrides: { exp: undefined } },
    { what: 'a token without iat', overrides: { iat: undefined } },
    { what: 'a token for another app client', overrides: { client_id: 'someone-else' } },
    { what: 'an ID token where only access tokens are accepted', overrides: { token_use: 'id', client_id: undefined, aud: CLIENT_ID } },
    { what: 'an expired token', overrides: { exp: Math.floor(Date.now() / 1000) - 60 } },
    { what: 'a token of another issuer', overrides: { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' } },
    { what: 'a token of the local emulator’s own issuer', overrides: { iss: 'http://localhost:9229/local_testpool' } },
  ])('refuses $what', async ({ overrides }) => {
    await expect(verifier().verifier.verify(signWithCognitoLocalKey(claims(overrides)))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('as the HTTP API authorizer, also accepts an ID token for the app client, and no other kind', async () => {
    const { verifier: authorizer } = verifier(['access', 'id']);
    const idToken = (aud: string) => signWithCognitoLocalKey(claims({ token_use: 'id', client_id: undefined, aud }));
    expect((await authorizer.verify(idToken(CLIENT_ID))).claims['token_use']).toBe('id');
    await expect(authorizer.verify(idToken('someone-else'))).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(authorizer.verify(signWithCognitoLocalKey(claims({ token_use: 'refresh' })))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const [header, , signature] = signWithCognitoLocalKey(claims()).split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify(claims({ sub: 'admin' }))).toString('base64url')}.${signature}`;
    await expect(verifier().verifier.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses an empty token', async () => {
    await expect(verifier().verifier.verify('')).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
