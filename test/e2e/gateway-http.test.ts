// The local HTTP API behaves like API Gateway's: event shape, JWT authorizer, limits, errors.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { HTTP_FUNCTIONS } from '../../shared/api/function-catalog.ts';
import { ROUTES } from '../../shared/api/routes.ts';
import { createHttpGateway } from '../../infra/local/http-gateway.ts';
import { createLambdaRuntime } from '../../infra/local/lambda-runtime.ts';
import { ENV } from '../../shared/config/env.ts';
import { startLocalTwin, type LocalTwin } from '../support/local-twin.ts';
import { fixtureHandlerModules } from '../support/handler-fixtures.ts';
import { signInNewCognitoUser, type SignedInUser } from '../support/cognito-users.ts';

let twin: LocalTwin;
let clinicianAdmin: SignedInUser;

beforeAll(async () => {
  twin = await startLocalTwin({
    handlerModules: fixtureHandlerModules({
      [HTTP_FUNCTIONS.users.entry]: 'echo-event-handler.ts',
      [HTTP_FUNCTIONS.ecg.entry]: 'echo-event-handler.ts',
      [HTTP_FUNCTIONS.health.entry]: 'plain-object-handler.ts',
      [HTTP_FUNCTIONS.thresholds.entry]: 'slow-handler.ts',
      [HTTP_FUNCTIONS.alerts.entry]: 'throwing-handler.ts',
      [HTTP_FUNCTIONS.auth.entry]: 'environment-handler.ts',
    }),
    corsOrigins: ['http://localhost:*', 'https://app.example.org'],
    httpIntegrationTimeoutMs: 500,
    log: () => undefined,
  });
  clinicianAdmin = await signInNewCognitoUser(twin.state, ['admin', 'clinician']);
});

afterAll(async () => {
  await twin?.stop();
});

const bearer = (user: SignedInUser) => ({ authorization: `Bearer ${user.accessToken}` });

async function echoedEvent(path: string, init: RequestInit = {}): Promise<APIGatewayProxyEventV2WithJWTAuthorizer> {
  const response = await fetch(`${twin.httpUrl}${path}`, init);
  expect(response.status).toBe(200);
  return (await response.json()) as APIGatewayProxyEventV2WithJWTAuthorizer;
}

describe('HTTP API JWT authorizer', () => {
  it('passes claims to the handler as strings, with cognito:groups flattened to "[a b]"', async () => {
    const event = await echoedEvent('/v1/users/me', { headers: bearer(clinicianAdmin) });
    const claims = event.requestContext.authorizer.jwt.claims;
    expect(claims['cognito:groups']).toBe('[admin clinician]');
    expect(claims['sub']).toBe(clinicianAdmin.sub);
    expect(claims['token_use']).toBe('access');
    expect(claims['client_id']).toBe(twin.state.userPoolClientId);
    expect(claims['exp']).toMatch(/^\d+$/);
    for (const value of Object.values(claims)) expect(typeof value).toBe('string');
  });

  it('answers 401 {"message":"Unauthorized"} without a valid token', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-jwt' }, { authorization: `Bearer ${clinicianAdmin.accessToken}x` }]) {
      const response = await fetch(`${twin.httpUrl}/v1/users/me`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Unauthorized' });
    }
  });

  it('lets an ID token of the app client through, as the Cognito JWT authorizer does', async () => {
    const event = await echoedEvent('/v1/users/me', { headers: { authorization: `Bearer ${clinicianAdmin.idToken}` } });
    expect(event.requestContext.authorizer.jwt.claims['token_use']).toBe('id');
    expect(event.requestContext.authorizer.jwt.claims['aud']).toBe(twin.state.userPoolClientId);
  });

  it('lets public routes through without a token', async () => {
    const response = await fetch(`${twin.httpUrl}/v1/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ plain: true });
  });
});

describe('HTTP API payload format 2.0', () => {
  it('builds the event from the matched route: routeKey, path parameters, query, headers, body', async () => {
    const event = await echoedEvent('/v1/ecg/rec%201/chunks/3?a=1&a=2&b=x', {
      method: 'PUT',
      headers: { ...bearer(clinicianAdmin), 'content-type': 'application/json', 'X-Custom': 'Yes' },
      body: JSON.stringify({ samples: [1, 2] }),
    });
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('PUT /v1/ecg/{recordingId}/chunks/{seq}');
    expect(event.requestContext.routeKey).toBe(event.routeKey);
    expect(event.rawPath).toBe('/v1/ecg/rec%201/chunks/3');
    expect(event.rawQueryString).toBe('a=1&a=2&b=x');
    expect(event.queryStringParameters).toEqual({ a: '1,2', b: 'x' });
    expect(event.pathParameters).toEqual({ recordingId: 'rec 1', seq: '3' });
    expect(event.headers['x-custom']).toBe('Yes');
    expect(event.headers['x-forwarded-proto']).toBe('http');
    expect(event.body).toBe('{"samples":[1,2]}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext.stage).toBe('$default');
    expect(event.requestContext.http.method).toBe('PUT');
    expect(event.requestContext.timeEpoch).toBeGreaterThan(0);
  });

  it('base64-encodes binary bodies', async () => {
    const event = await echoedEvent('/v1/ecg/r1/chunks/0', {
      method: 'PUT',
      headers: { ...bearer(clinicianAdmin), 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 255, 1]),
    });
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(Buffer.from([0, 255, 1]));
  });

  it('answers 404 {"message":"Not Found"} for a route not in the table', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nowhere'],
      ['DELETE', '/v1/health'],
    ] as const) {
      const response = await fetch(`${twin.httpUrl}${path}`, { method });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: 'Not Found' });
    }
  });
});

describe('HTTP API limits and failures', () => {
  it('answers 413 for a body over 10 MB', async () => {
    const { status, body } = await rawPost('/v1/ecg/r1/chunks/0', Buffer.alloc(10 * 1024 * 1024 + 1, 97), clinicianAdmin.accessToken);
    expect(status).toBe(413);
    expect(JSON.parse(body)).toEqual({ message: 'Request Entity Too Large' });
  });

  it('answers 413 for a chunked body over 10 MB and keeps serving after the cut-off', async () => {
    const { status } = await rawPost('/v1/ecg/r1/chunks/0', Buffer.alloc(10 * 1024 * 1024 + 1, 97), clinicianAdmin.accessToken, {
      chunked: true,
    });
    expect(status).toBe(413);
    // The gateway cuts off a client still sending 5 s after its 413; that must not take the twin down.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    expect((await fetch(`${twin.httpUrl}/v1/health`)).status).toBe(200);
  }, 15_000);

  it('answers 503 when the handler runs past the integration timeout', async () => {
    const response = await fetch(`${twin.httpUrl}/v1/thresholds/heart_rate`, { headers: bearer(clinicianAdmin) });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('answers 500 when the function times out before the integration does, as a 29 s Lambda behind a 30 s API does', async () => {
    const runtime = createLambdaRuntime({
      resolveModule: fixtureHandlerModules({ [HTTP_FUNCTIONS.health.entry]: 'slow-handler.ts' }),
      environmentOf: () => ({}),
    });
    const server = createServer(
      createHttpGateway({
        routes: ROUTES,
        functions: HTTP_FUNCTIONS,
        invoke: runtime.invoke,
        verifier: { verify: () => Promise.reject(new Error('no tokens here')) },
        functionTimeoutMs: 300,
        integrationTimeoutMs: 1_000,
        log: () => undefined,
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/v1/health`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.stop();
    }
  });

  it('answers 500 when the handler throws', async () => {
    const response = await fetch(`${twin.httpUrl}/v1/alerts`, { headers: bearer(clinicianAdmin) });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
  });
});

describe('Lambda environments', () => {
  const environment = async () =>
    (await (await fetch(`${twin.httpUrl}/v1/auth/login`, { method: 'POST', body: '{}' })).json()) as {
      vigil: Record<string, string>;
      invocations: number;
    };

  it('run each function with its own catalog variables only: the auth function gets the table and the pool, no secret and no queue', async () => {
    const { vigil } = await environment();
    expect(Object.keys(vigil).sort()).toEqual([ENV.tableName, ENV.userPoolClientId, ENV.userPoolId].sort());
    expect(vigil).not.toHaveProperty(ENV.cursorSecret);
    expect(vigil).not.toHaveProperty(ENV.ecgQueueUrl);
  });

  it('keep module state between invocations of one function, as a warm Lambda does', async () => {
    const first = await environment();
    const second = await environment();
    expect(second.invocations).toBe(first.invocations + 1);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(`${twin.httpUrl}/v1/users/me`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });

  it.each(['http://localhost:5173', 'https://app.example.org'])('answers a preflight from %s, an allowed origin', async (origin) => {
    const response = await preflight(origin);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-allow-methods')).toContain('GET');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
  });

  it('answers a preflight from another origin without permission', async () => {
    const response = await preflight('https://evil.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("adds the allowed origin to a real answer, and drops the function's own CORS headers", async () => {
    const allowed = await fetch(`${twin.httpUrl}/v1/users/me`, { headers: { ...bearer(clinicianAdmin), origin: 'http://localhost:5173' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const other = await fetch(`${twin.httpUrl}/v1/users/me`, { headers: { ...bearer(clinicianAdmin), origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

/** A PUT with a declared length, or with `chunked` a body sent in 1 MiB pieces and no length. */
function rawPost(path: string, body: Buffer, token: string, { chunked = false } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...(chunked ? {} : { 'content-length': body.length }),
    };
    const req = request(`${twin.httpUrl}${path}`, { method: 'PUT', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', (error) => (chunked ? undefined : reject(error)));
    if (!chunked) return req.end(body);
    for (let at = 0; at < body.length; at += 1 << 20) req.write(body.subarray(at, at + (1 << 20)));
    req.end();
  });
}
