// The HTTP API half of the local API Gateway: payload format 2.0 events from the route
// table, the Cognito JWT authorizer for 'jwt' routes, per-route throttling, CORS preflights,
// and API Gateway's own limits and error bodies, so a handler cannot tell it from the cloud.
// One line per request goes to the log (method, path, status, time; never bodies or tokens).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { FunctionDefinition } from '../../shared/api/function-catalog.ts';
import { DEFAULT_ROUTE_THROTTLE, type RouteDefinition, routeKey } from '../../shared/api/routes.ts';
import type { TokenVerifier } from '../../shared/auth/token-verifier.ts';
import { allowOriginHeader, type CorsPolicy } from '../cors-policy.ts';
import { jwtAuthorizerContext } from './jwt-authorizer.ts';
import { withinIntegrationTimeout } from './integration-timeout.ts';
import { type FunctionToInvoke, functionToInvoke, type InvocationOutcome } from './lambda-runtime.ts';
import { LOCAL_ACCOUNT_ID } from './local-aws.ts';
import { createTokenBuckets } from './token-buckets.ts';

/** API Gateway's hard limits for HTTP APIs. */
export const HTTP_API_LIMITS = {
  maxRequestBodyBytes: 10 * 1024 * 1024,
  integrationTimeoutMs: 30_000,
} as const;

export interface HttpGatewayOptions {
  readonly routes: readonly RouteDefinition[];
  readonly functions: Readonly<Record<string, FunctionDefinition>>;
  readonly invoke: (fn: FunctionToInvoke, event: unknown) => Promise<InvocationOutcome>;
  readonly verifier: TokenVerifier;
  /** Undefined: no CORS configured, so preflights are not answered (404), as in AWS. */
  readonly cors?: CorsPolicy;
  readonly apiId?: string;
  readonly integrationTimeoutMs?: number;
  /** Overrides every function's own timeout (the catalog's), for tests. */
  readonly functionTimeoutMs?: number;
  readonly maxRequestBodyBytes?: number;
  readonly log?: (message: string) => void;
  /** The clock the throttle buckets fill by; tests pass their own. */
  readonly now?: () => number;
}

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly key: string;
  readonly pattern: RegExp;
  readonly paramNames: readonly string[];
}

export function createHttpGateway(options: HttpGatewayOptions): RequestListener {
  const apiId = options.apiId ?? 'vigil-local-http';
  const timeoutMs = options.integrationTimeoutMs ?? HTTP_API_LIMITS.integrationTimeoutMs;
  const maxBody = options.maxRequestBodyBytes ?? HTTP_API_LIMITS.maxRequestBodyBytes;
  const log = options.log ?? ((message: string) => console.error(message));
  const compiled = options.routes.map(compileRoute);
  // A Map: a function name such as "constructor" must find nothing.
  const functions = new Map(Object.entries(options.functions));
  const buckets = createTokenBuckets(options.now ?? Date.now);

  return (request, response) => {
    const requestId = randomUUID();
    const started = performance.now();
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    response.once('finish', () => {
      log(`[http] ${request.method} ${path} ${response.statusCode} ${Math.round(performance.now() - started)} ms`);
    });
    handle(request, response, requestId).catch((error: unknown) => {
      log(`[http] ${request.method} ${path} failed in the gateway: ${String(error)}`);
      if (!response.headersSent) sendGatewayError(response, requestId, 500, 'Internal Server Error');
      else response.destroy();
    });
  };

  async function handle(request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const origin = request.headers.origin;
    const cors = options.cors;
    const allowedOrigin = cors !== undefined && origin !== undefined ? allowOriginHeader(cors, origin) : undefined;
    if (method === 'OPTIONS' && cors !== undefined) {
      // API Gateway answers every preflight itself, whether or not a route exists.
      request.resume();
      answerPreflight(response, requestId, cors, allowedOrigin, request.headers['access-control-request-method']);
      return;
    }
    if (allowedOrigin !== undefined && cors !== undefined) {
      response.setHeader('access-control-allow-origin', allowedOrigin);
      response.setHeader('access-control-expose-headers', cors.exposeHeaders.join(','));
      response.setHeader('vary', 'origin');
    }

    const match = matchRoute(compiled, method, url.pathname);
    if (match === undefined) {
      request.resume();
      sendGatewayError(response, requestId, 404, 'Not Found');
      return;
    }
    if (!buckets.take(match.compiled.key, match.compiled.route.throttle ?? DEFAULT_ROUTE_THROTTLE)) {
      request.resume();
      sendGatewayError(response, requestId, 429, 'Too Many Requests');
      return;
    }

    const body = await readBody(request, maxBody);
    if (body === 'too-large') {
      sendGatewayError(response, requestId, 413, 'Request Entity Too Large', true);
      return;
    }

    const event = buildEvent(request, url, body, match, apiId, requestId);
    if (match.compiled.route.auth === 'jwt') {
      const authorizer = await jwtAuthorizerContext(options.verifier, request.headers.authorization);
      if (authorizer === undefined) {
        sendGatewayError(response, requestId, 401, 'Unauthorized', false, { 'www-authenticate': 'Bearer' });
        return;
      }
      (event as APIGatewayProxyEventV2WithJWTAuthorizer).requestContext.authorizer = authorizer;
    }

    const name = match.compiled.route.function;
    const definition = functions.get(name);
    if (definition === undefined) throw new Error(`route ${match.compiled.key} names unknown function ${name}`);
    // The function stops at its own timeout (Lambda reports an error, API Gateway answers 500);
    // API Gateway stops waiting at its integration timeout (503) while the function runs on.
    const outcome = await withinIntegrationTimeout(
      options.invoke(functionToInvoke(name, definition, options.functionTimeoutMs), event),
      timeoutMs,
    );
    if (outcome.kind === 'timeout') {
      log(`[http] ${match.compiled.key} -> ${name} ran over its own timeout`);
      sendGatewayError(response, requestId, 500, 'Internal Server Error');
      return;
    }
    if (outcome.kind === 'integration-timeout') {
      log(`[http] ${match.compiled.key} -> ${name} did not answer within the ${timeoutMs} ms integration timeout`);
      sendGatewayError(response, requestId, 503, 'Service Unavailable');
      return;
    }
    if (outcome.kind === 'error') {
      log(`[http] ${match.compiled.key} -> ${name} threw: ${outcome.error.stack ?? outcome.error.message}`);
      sendGatewayError(response, requestId, 500, 'Internal Server Error');
      return;
    }
    const shaped = shapeResponse(outcome.value);
    if (shaped === undefined) {
      log(`[http] ${match.compiled.key} -> ${name} returned a malformed response`);
      sendGatewayError(response, requestId, 500, 'Internal Server Error');
      return;
    }
    response.statusCode = shaped.statusCode;
    for (const [header, value] of Object.entries(shaped.headers)) {
      // With CORS configured, API Gateway ignores the integration's CORS headers.
      if (cors !== undefined && header.startsWith('access-control-')) continue;
      response.setHeader(header, value);
    }
    response.setHeader('apigw-requestid', requestId);
    response.end(shaped.body);
  }
}

function answerPreflight(
  response: ServerResponse,
  requestId: string,
  cors: CorsPolicy,
  allowedOrigin: string | undefined,
  requestedMethod: string | undefined,
): void {
  const headers: Record<string, string> = { 'apigw-requestid': requestId };
  // An origin that is not allowed gets an answer without permission, so the browser refuses.
  if (allowedOrigin !== undefined && requestedMethod !== undefined) {
    headers['access-control-allow-origin'] = allowedOrigin;
    headers['access-control-allow-methods'] = cors.allowMethods.join(',');
    headers['access-control-allow-headers'] = cors.allowHeaders.join(',');
    headers['access-control-max-age'] = String(cors.maxAgeSeconds);
    headers.vary = 'origin';
  }
  response.writeHead(204, headers).end();
}

function compileRoute(route: RouteDefinition): CompiledRoute {
  const paramNames: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{([A-Za-z][A-Za-z0-9]*)\}$/.exec(segment);
      if (param === null) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      paramNames.push(param[1] ?? '');
      return '([^/]+)';
    })
    .join('/');
  return { route, key: routeKey(route), pattern: new RegExp(`^${source}$`), paramNames };
}

interface RouteMatch {
  readonly compiled: CompiledRoute;
  readonly pathParameters: Record<string, string>;
}

function matchRoute(routes: readonly CompiledRoute[], method: string, path: string): RouteMatch | undefined {
  for (const compiled of routes) {
    if (compiled.route.method !== method) continue;
    const found = compiled.pattern.exec(path);
    if (found === null) continue;
    const pathParameters: Record<string, string> = {};
    compiled.paramNames.forEach((name, index) => {
      pathParameters[name] = safeDecode(found[index + 1] ?? '');
    });
    return { compiled, pathParameters };
  }
  return undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Reads at most `limit` bytes; past that it stops keeping data and reports 'too-large'. */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limit) {
    discard(request);
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      discard(request);
      return 'too-large';
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

// The rest of an oversized body is drained without being kept, so the client can read the
// 413; the response closes the connection, and a client that keeps sending is cut off.
function discard(request: IncomingMessage): void {
  request.on('data', () => undefined);
  request.resume();
  // Held here: once the 413 is sent, node detaches the socket and `request.socket` is null.
  const socket = request.socket;
  const cutOff = setTimeout(() => socket.destroy(), 5_000);
  cutOff.unref();
  request.once('end', () => clearTimeout(cutOff));
  socket.once('close', () => clearTimeout(cutOff));
}

const TEXT_CONTENT_TYPE = /^(text\/|application\/(json|xml|javascript)|application\/[\w.+-]+\+(json|xml))/i;

function buildEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  match: RouteMatch,
  apiId: string,
  requestId: string,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    // Payload 2.0 moves cookies out of the headers; no route reads them, so the twin drops them.
    if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-port'] ??= String(request.socket.localPort ?? '');
  headers['x-forwarded-proto'] ??= 'http';

  const rawQueryString = url.search.startsWith('?') ? url.search.slice(1) : '';
  const queryStringParameters = joinRepeatedParameters(url.searchParams);
  const now = new Date();
  const domainName = headers['host'] ?? 'localhost';
  const contentType = headers['content-type'] ?? '';
  const isText = TEXT_CONTENT_TYPE.test(contentType);

  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: match.compiled.key,
    rawPath: url.pathname,
    rawQueryString,
    headers,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: match.compiled.key,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
  if (queryStringParameters !== undefined) event.queryStringParameters = queryStringParameters;
  if (match.compiled.paramNames.length > 0) event.pathParameters = match.pathParameters;
  if (body.length > 0) {
    event.body = isText ? body.toString('utf8') : body.toString('base64');
    event.isBase64Encoded = !isText;
  }
  return event;
}

/** Repeated query parameters arrive comma-joined, as API Gateway sends them. */
function joinRepeatedParameters(params: URLSearchParams): Record<string, string> | undefined {
  const joined = new Map<string, string>();
  for (const [name, value] of params) {
    const before = joined.get(name);
    joined.set(name, before === undefined ? value : `${before},${value}`);
  }
  return joined.size > 0 ? Object.fromEntries(joined) : undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** requestContext.time uses the access-log form: 22/Nov/2026:04:10:00 +0000. */
function clfTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

interface ShapedResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * Maps a handler's return value the way payload format 2.0 does: an object with a
 * statusCode is a full response; anything else is a 200 JSON body.
 */
export function shapeResponse(value: unknown): ShapedResponse | undefined {
  if (typeof value === 'object' && value !== null && 'statusCode' in value) {
    const result = value as { statusCode: unknown; headers?: Record<string, unknown>; body?: unknown; isBase64Encoded?: unknown };
    if (typeof result.statusCode !== 'number' || !Number.isInteger(result.statusCode) || result.statusCode < 100 || result.statusCode > 599)
      return undefined;
    if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') return undefined;
    const headers: Record<string, string> = {};
    for (const [name, headerValue] of Object.entries(result.headers ?? {})) {
      if (headerValue !== undefined && headerValue !== null) headers[name.toLowerCase()] = String(headerValue);
    }
    const text = typeof result.body === 'string' ? result.body : '';
    const body = result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
    return { statusCode: result.statusCode, headers, body };
  }
  const body = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body, 'utf8') };
}

function sendGatewayError(
  response: ServerResponse,
  requestId: string,
  statusCode: number,
  message: string,
  closeConnection = false,
  extraHeaders: Record<string, string> = {},
): void {
  const body = JSON.stringify({ message });
  response.writeHead(statusCode, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'apigw-requestid': requestId,
    ...(closeConnection ? { connection: 'close' } : {}),
    ...extraHeaders,
  });
  response.end(body);
}
