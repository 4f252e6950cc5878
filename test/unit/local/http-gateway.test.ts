import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP_FUNCTIONS } from '../../../shared/api/function-catalog.ts';
import { type RouteDefinition, ROUTES } from '../../../shared/api/routes.ts';
import { corsPolicy } from '../../../infra/cors-policy.ts';
import { createHttpGateway, shapeResponse } from '../../../infra/local/http-gateway.ts';
import { flattenClaims } from '../../../infra/local/jwt-authorizer.ts';

describe('JWT authorizer claims', () => {
  it('are all strings, with arrays flattened the way API Gateway does', () => {
    expect(flattenClaims({ 'cognito:groups': ['admin', 'clinician'], exp: 1700000000, email_verified: true, sub: 'u' })).toEqual({
      'cognito:groups': '[admin clinician]',
      exp: '1700000000',
      email_verified: 'true',
      sub: 'u',
    });
  });
});

describe('payload 2.0 responses', () => {
  it('treat a result without statusCode as a 200 JSON body', () => {
    const shaped = shapeResponse({ ok: true });
    expect(shaped?.statusCode).toBe(200);
    expect(shaped?.headers['content-type']).toBe('application/json');
    expect(shaped?.body.toString()).toBe('{"ok":true}');
  });

  it('decode base64 bodies and lower-case header names', () => {
    const shaped = shapeResponse({
      statusCode: 201,
      headers: { 'X-A': 'b' },
      body: Buffer.from([1, 2]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(shaped?.statusCode).toBe(201);
    expect(shaped?.headers).toEqual({ 'x-a': 'b' });
    expect(shaped?.body).toEqual(Buffer.from([1, 2]));
  });

  it('reject a malformed statusCode', () => {
    expect(shapeResponse({ statusCode: '200' })).toBeUndefined();
  });
});

describe('the local HTTP gateway', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function gateway(
    options: {
      log?: (line: string) => void;
      now?: () => number;
      routes?: RouteDefinition[];
      events?: unknown[];
      corsOrigins?: readonly string[];
    } = {},
  ) {
    const cors = options.corsOrigins === undefined ? undefined : corsPolicy(options.corsOrigins);
    const server = createServer(
      createHttpGateway({
        routes: options.routes ?? (ROUTES as readonly RouteDefinition[]),
        functions: HTTP_FUNCTIONS,
        invoke: async (_fn, event) => {
          options.events?.push(event);
          return { kind: 'result', value: { statusCode: 200, body: '{"ok":true}' } };
        },
        ...(cors === undefined ? {} : { cors }),
        verifier: { verify: async () => ({ sub: 'user', claims: { sub: 'user', token_use: 'access' } }) },
        log: options.log ?? (() => undefined),
        ...(options.now ? { now: options.now } : {}),
      }),
    );
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('logs one line per request with method, path, status and time, and never a body, query or token', async () => {
    const lines: string[] = [];
    const url = await gateway({ log: (line) => lines.push(line) });
    await fetch(`${url}/v1/users/me?secret=query`, { headers: { authorization: 'Bearer the-token' } });
    await fetch(`${url}/v1/nowhere`);
    await fetch(`${url}/v1/auth/login`, { method: 'POST', body: '{"password":"hunter2"}' });
    expect(lines).toEqual([
      expect.stringMatching(/^\[http\] GET \/v1\/users\/me 200 \d+ ms$/),
      expect.stringMatching(/^\[http\] GET \/v1\/nowhere 404 \d+ ms$/),
      expect.stringMatching(/^\[http\] POST \/v1\/auth\/login 200 \d+ ms$/),
    ]);
    expect(lines.join('\n')).not.toMatch(/the-token|hunter2|secret=query/);
  });

  it("throttles a route at its own limit with API Gateway's 429, refilling over time", async () => {
    let clock = 0;
    const health = ROUTES.find((route) => route.path === '/v1/health')!;
    const url = await gateway({ now: () => clock, routes: [{ ...health, throttle: { rateLimit: 2, burstLimit: 3 } }] });
    const statuses = async (count: number) => {
      const answers: number[] = [];
      for (let i = 0; i < count; i++) answers.push((await fetch(`${url}/v1/health`)).status);
      return answers;
    };
    expect(await statuses(4)).toEqual([200, 200, 200, 429]);
    clock += 1000;
    expect(await statuses(3)).toEqual([200, 200, 429]);
    const refused = await fetch(`${url}/v1/health`);
    expect(await refused.json()).toEqual({ message: 'Too Many Requests' });
  });

  it('passes no cookies: payload 2.0 moves them out of the headers, and no route reads them', async () => {
    const events: unknown[] = [];
    const url = await gateway({ events });
    await fetch(`${url}/v1/health`, { headers: { cookie: 'session=secret' } });
    const [event] = events as Array<{ cookies?: string[]; headers: Record<string, string> }>;
    expect(event?.headers).not.toHaveProperty('cookie');
    expect(event).not.toHaveProperty('cookies');
  });

  it('answers any origin with * when every origin is allowed, as API Gateway does', async () => {
    const url = await gateway({ corsOrigins: ['*'] });
    const preflight = await fetch(`${url}/v1/health`, {
      method: 'OPTIONS',
      headers: { origin: 'https://anywhere.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const answer = await fetch(`${url}/v1/health`, { headers: { origin: 'https://anywhere.example' } });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('finds no route for a path that names an object property', async () => {
    const url = await gateway();
    for (const path of ['/__proto__', '/constructor', '/v1/toString', '/v1/users/me/__proto__']) {
      expect((await fetch(`${url}${path}`)).status).toBe(404);
    }
  });
});
