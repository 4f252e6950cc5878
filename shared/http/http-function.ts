// The one way an HTTP Lambda is built: a middy stack that, for the route API Gateway
// matched, reads the caller from the verified token and our user record, parses path,
// query and body with the route's zod schemas, runs the route's implementation and turns
// any thrown HttpError into problem+json. Handlers in functions/ only map routes to plain
// service functions.
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { type ROUTES, findRoute, routeKey, routesOf, type RouteDefinition } from '../api/routes.ts';
import type { HttpFunctionName } from '../api/function-catalog.ts';
import { readSubjectClaim } from '../auth/claims.ts';
import type { Caller } from '../domain/caller.ts';
import {
  ForbiddenError,
  HttpError,
  NotFoundError,
  PayloadTooLargeError,
  PROBLEM_CONTENT_TYPE,
  toProblem,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors.ts';
import { parseRequestPart } from './request-validation.ts';

/**
 * Largest request body any route accepts. The biggest legitimate body, an ECG chunk of
 * 60 000 samples as JSON, is under 450 kB; API Gateway's own 10 MB limit is far above.
 */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

type Routes = (typeof ROUTES)[number];
type RouteKeyOf<R> = R extends { method: infer M extends string; path: infer P extends string } ? `${M} ${P}` : never;
type RouteByKey<K extends string> = Extract<
  Routes,
  { method: K extends `${infer M} ${string}` ? M : never; path: K extends `${string} ${infer P}` ? P : never }
>;
type Parsed<R, Part extends 'params' | 'query' | 'body'> = R extends { [key in Part]: infer S extends z.ZodType } ? z.output<S> : undefined;
type CallerOf<R> = R extends { auth: 'jwt' } ? Caller : undefined;

export interface RouteRequest<R> {
  caller: CallerOf<R>;
  params: Parsed<R, 'params'>;
  query: Parsed<R, 'query'>;
  body: Parsed<R, 'body'>;
  requestId: string;
  /** The raw event, for the rare route that needs a header. */
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** What an implementation may return instead of a bare body: another status or extra headers. */
export class HttpResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export type RouteImplementations<F extends HttpFunctionName> = {
  [K in RouteKeyOf<Extract<Routes, { function: F }>>]: (request: RouteRequest<RouteByKey<K>>) => Promise<unknown>;
};

export interface HttpFunctionDependencies {
  /** Finds the Vigil user behind a verified subject; undefined when there is none. */
  loadCaller(sub: string): Promise<Caller | undefined>;
}

/** For functions whose routes are all public: no caller to look up, and no table client bundled. */
export const PUBLIC_ROUTES_ONLY: HttpFunctionDependencies = { loadCaller: async () => undefined };

/** Fails at load time when a function's implementations and the route table disagree. */
export function assertImplementsRoutes(fn: HttpFunctionName, implemented: readonly string[]): void {
  const expected = routesOf(fn).map(routeKey).sort();
  const actual = [...implemented].sort();
  if (expected.join('\n') !== actual.join('\n')) {
    throw new Error(`function ${fn} implements [${actual.join(', ')}] but the route table gives it [${expected.join(', ')}]`);
  }
}

function decodeBody(event: APIGatewayProxyEventV2WithJWTAuthorizer): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > MAX_REQUEST_BODY_BYTES) {
    throw new PayloadTooLargeError(`request body is ${bytes.length} bytes; the limit is ${MAX_REQUEST_BODY_BYTES} bytes`);
  }
  return bytes.toString('utf8');
}

function parseJsonBody(event: APIGatewayProxyEventV2WithJWTAuthorizer): unknown {
  const text = decodeBody(event);
  if (text === undefined) throw new ValidationError('body: a JSON body is required', [{ path: 'body', message: 'required' }]);
  const contentType = event.headers?.['content-type'];
  if (contentType !== undefined && !/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new UnsupportedMediaTypeError(`content-type must be application/json, not ${contentType}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`body is not valid JSON: ${(error as Error).message}`, [{ path: 'body', message: 'malformed JSON' }]);
  }
}

async function resolveCaller(
  route: RouteDefinition,
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  dependencies: HttpFunctionDependencies,
): Promise<Caller | undefined> {
  if (route.auth === 'public') return undefined;
  // The authorizer has already verified the token; without claims the route was deployed
  // without it, which must fail closed.
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const sub = readSubjectClaim(claims);
  if (!sub) throw new UnauthorizedError();
  // The JWT authorizer also passes ID tokens (their audience is the app client); the API's
  // contract is the access token, which is what sign-out and token revocation act on.
  if (claims['token_use'] !== 'access') throw new UnauthorizedError('an access token is required; this is not one');
  const caller = await dependencies.loadCaller(sub);
  if (!caller) throw new ForbiddenError('this identity has no Vigil account');
  if (route.roles && !route.roles.includes(caller.role)) {
    throw new ForbiddenError(`${routeKey(route)} is not open to the ${caller.role} role`);
  }
  return caller;
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    // Responses carry health data: no shared cache may keep them.
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    ...(body === undefined || status === 204 ? {} : { body: JSON.stringify(body) }),
  };
}

export function problemResponse(error: HttpError, instance?: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: error.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' },
    body: JSON.stringify(toProblem(error, instance)),
  };
}

export function httpFunction<F extends HttpFunctionName>(
  fn: F,
  implementations: RouteImplementations<F>,
  dependencies: HttpFunctionDependencies,
) {
  const table = implementations as unknown as Record<string, (request: RouteRequest<RouteDefinition>) => Promise<unknown>>;
  assertImplementsRoutes(fn, Object.keys(table));
  const logger = new Logger({ serviceName: `vigil-${fn}` });

  const core = async (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const route = findRoute(event.routeKey);
    const implementation = table[event.routeKey];
    if (!route || !implementation || route.function !== fn) throw new NotFoundError(`no route ${event.routeKey}`);
    const caller = await resolveCaller(route, event, dependencies);
    const params = route.params ? parseRequestPart('params', route.params, event.pathParameters ?? {}) : undefined;
    const query = route.query ? parseRequestPart('query', route.query, event.queryStringParameters ?? {}) : undefined;
    const body = route.body ? parseRequestPart('body', route.body, parseJsonBody(event)) : undefined;
    const result = await implementation({
      caller,
      params,
      query,
      body,
      requestId: context.awsRequestId,
      event,
    } as RouteRequest<RouteDefinition>);
    if (result instanceof HttpResponse) return jsonResponse(result.status, result.body, result.headers);
    return jsonResponse(route.successStatus, result);
  };

  const problems = {
    onError: async (request: middy.Request<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2>) => {
      const error = request.error;
      const instance = request.event.requestContext?.requestId;
      if (error instanceof HttpError) {
        if (error.status >= 500) logger.error('request failed', { error: error.name });
        request.response = problemResponse(error, instance);
        return;
      }
      // Unknown failures are ours: log the error itself (no request data) and hide internals.
      logger.error('unhandled error', error instanceof Error ? error : new Error(String(error)));
      request.response = problemResponse(
        new HttpError(
          500,
          'internal-error',
          'Internal error',
          `something went wrong on our side; quote request ${instance ?? request.context.awsRequestId}`,
        ),
        instance,
      );
    },
  };

  return middy(core)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(problems);
}
