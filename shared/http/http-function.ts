// The one way an HTTP Lambda is built: a middy stack that, for the route API Gateway
// matched, reads the caller from the verified token and our user record, parses path,
// query and body with the route's zod schemas, runs the route's implementation and turns
// any thrown domain or HTTP error into problem+json. Handlers in functions/ only map routes
// to plain service functions; each implementation is typed by its route's response schema.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { HttpFunctionName } from '../api/function-catalog.ts';
import { findRoute, type RouteDefinition, type ROUTES, routeKey, routesOf } from '../api/routes.ts';
import { readSubjectClaim } from '../auth/claims.ts';
import { withAccessNotes } from '../audit/access-notes.ts';
import { type Actor, requestEntries } from '../audit/audit-entries.ts';
import type { AuditEntry } from '../domain/audit-entry.ts';
import type { Caller } from '../domain/caller.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../domain/errors.ts';
import { Id } from '../domain/identifiers.ts';
import { parseInput } from '../domain/validation.ts';
import {
  internalErrorProblem,
  PayloadTooLargeError,
  PROBLEM_CONTENT_TYPE,
  type ProblemDocument,
  problemOf,
  UnsupportedMediaTypeError,
} from './errors.ts';

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
/** What a route's implementation must resolve to: its response schema's input, or nothing (204). */
// biome-ignore lint/suspicious/noConfusingVoidType: a 204 route's implementation is an async function that returns nothing.
type ResponseOf<R> = R extends { response: infer S extends z.ZodType } ? z.input<S> : undefined | void;

export interface RouteRequest<R> {
  caller: CallerOf<R>;
  params: Parsed<R, 'params'>;
  query: Parsed<R, 'query'>;
  body: Parsed<R, 'body'>;
  requestId: string;
  /** The function's logger, carrying this invocation's request id. */
  logger: Logger;
  /** The raw event, for the rare route that needs a header. */
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
}

export type RouteImplementations<F extends HttpFunctionName> = {
  [K in RouteKeyOf<Extract<Routes, { function: F }>>]: (request: RouteRequest<RouteByKey<K>>) => Promise<ResponseOf<RouteByKey<K>>>;
};

export interface HttpFunctionDependencies {
  /** Finds the Vigil user behind a verified subject; undefined when there is none. */
  loadCaller(sub: string): Promise<(Caller & { disabled: boolean }) | undefined>;
  /** Stores a request's audit entries; a failure fails the request, so nothing unaudited is served. */
  writeAudit(entries: readonly AuditEntry[]): Promise<void>;
}

/** For functions whose routes are all public: no caller to look up, nothing to audit, and no table client bundled. */
export const PUBLIC_ROUTES_ONLY: HttpFunctionDependencies = {
  loadCaller: async () => undefined,
  writeAudit: async (entries) => {
    if (entries.length > 0) throw new Error('a public route has nothing to audit');
  },
};

/** Fails at load time when a function's implementations and the route table disagree. */
export function assertImplementsRoutes(fn: HttpFunctionName, implemented: readonly string[]): void {
  const expected = routesOf(fn).map(routeKey).sort();
  const actual = [...implemented].sort();
  if (expected.join('\n') !== actual.join('\n')) {
    throw new Error(`function ${fn} implements [${actual.join(', ')}] but the route table gives it [${expected.join(', ')}]`);
  }
}

/** The bearer token the API Gateway authorizer verified, for the rare route that passes it on. */
export function bearerToken(event: APIGatewayProxyEventV2WithJWTAuthorizer): string {
  const token = /^Bearer\s+(\S+)$/i.exec(event.headers?.['authorization'] ?? '')?.[1];
  if (token === undefined) throw new UnauthenticatedError();
  return token;
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
  identified: (actor: Actor) => void,
): Promise<Caller | undefined> {
  if (route.auth === 'public') return undefined;
  // The authorizer has already verified the token; without claims the route was deployed
  // without it, which must fail closed.
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const sub = readSubjectClaim(claims);
  if (!sub) throw new UnauthenticatedError();
  // The JWT authorizer also passes ID tokens (their audience is the app client); the API's
  // contract is the access token, which is what sign-out and token revocation act on.
  if (claims['token_use'] !== 'access') throw new UnauthenticatedError('an access token is required; this is not one');
  const record = await dependencies.loadCaller(sub);
  if (!record) throw new ForbiddenError('this identity has no Vigil account');
  const caller: Caller = { userId: record.userId, orgId: record.orgId, role: record.role };
  identified(caller);
  if (record.disabled) throw new UnauthenticatedError('this account is disabled');
  if (route.roles && !route.roles.includes(caller.role)) {
    throw new ForbiddenError(`${routeKey(route)} is not open to the ${caller.role} role`);
  }
  return caller;
}

/** A body the route's schema lets be absent (a PUT that needs none) is passed on as undefined. */
function bodyOf(route: RouteDefinition, event: APIGatewayProxyEventV2WithJWTAuthorizer): unknown {
  const optional = route.body?.safeParse(undefined).success === true;
  if (optional && decodeBody(event) === undefined) return undefined;
  return parseJsonBody(event);
}

/** An id the path carried, as the audit entry names it: only well-formed ids, never whatever was sent. */
const pathId = (value: string | undefined) => (value !== undefined && Id.safeParse(value).success ? value : undefined);

/** What the audit entry of a request records about where it came from and what it named. */
function requestFacts(event: APIGatewayProxyEventV2WithJWTAuthorizer) {
  const path = event.pathParameters ?? {};
  const pathPatientId = pathId(path['patientId']);
  const objectId = pathId(path['recordingId'] ?? path['alertId'] ?? path['userId'] ?? path['deviceId']);
  return {
    requestId: event.requestContext.requestId,
    ...(event.requestContext.http?.sourceIp ? { sourceIp: event.requestContext.http.sourceIp } : {}),
    ...(pathPatientId === undefined ? {} : { pathPatientId }),
    ...(objectId === undefined ? {} : { objectId }),
  };
}

function jsonResponse(status: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    // Responses carry health data: no shared cache may keep them.
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    ...(body === undefined || status === 204 ? {} : { body: JSON.stringify(body) }),
  };
}

export function problemResponse(problem: ProblemDocument): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' },
    body: JSON.stringify(problem),
  };
}

/** An implementation as the dispatcher calls it, after its route's parts were parsed by its own schemas. */
type Implementation = (request: {
  caller: Caller | undefined;
  params: unknown;
  query: unknown;
  body: unknown;
  requestId: string;
  logger: Logger;
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
}) => Promise<unknown>;

export function httpFunction<F extends HttpFunctionName>(
  fn: F,
  implementations: RouteImplementations<F>,
  dependencies: HttpFunctionDependencies,
) {
  // A Map, not the object: a route key such as "constructor" must find nothing.
  // Each implementation's parameter type is its own route's; the dispatcher below hands it
  // exactly that route's parsed parts, which the key lookup guarantees and the types cannot.
  const table = new Map<string, Implementation>(Object.entries(implementations as unknown as Record<string, Implementation>));
  assertImplementsRoutes(fn, [...table.keys()]);
  const logger = new Logger({ serviceName: `vigil-${fn}` });

  const core = async (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const route = findRoute(event.routeKey);
    const implementation = table.get(event.routeKey);
    if (!route || !implementation || route.function !== fn) throw new NotFoundError(`no route ${event.routeKey}`);
    let actor: Actor | undefined;
    const { notes, result } = await withAccessNotes(async () => {
      const caller = await resolveCaller(route, event, dependencies, (identified) => {
        actor = identified;
      });
      const params = route.params ? parseInput('params', route.params, event.pathParameters ?? {}) : undefined;
      const query = route.query ? parseInput('query', route.query, event.queryStringParameters ?? {}) : undefined;
      const body = route.body ? parseInput('body', route.body, bodyOf(route, event)) : undefined;
      return implementation({ caller, params, query, body, requestId: context.awsRequestId, logger, event });
    });
    if (actor !== undefined && (route.audited || notes.patientIds.size > 0)) {
      const outcome = result.ok ? route.successStatus : (problemOf(result.error)?.status ?? 500);
      await dependencies.writeAudit(
        requestEntries({ actor, action: routeKey(route), outcome, at: new Date().toISOString(), ...requestFacts(event) }, notes.patientIds),
      );
    }
    if (!result.ok) throw result.error;
    return jsonResponse(route.successStatus, result.value);
  };

  const problems = {
    onError: async (request: middy.Request<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2>) => {
      const instance = request.event.requestContext?.requestId;
      const problem = problemOf(request.error, instance);
      if (problem) {
        request.response = problemResponse(problem);
        return;
      }
      // Unknown failures are ours: log the error itself (no request data) and hide internals.
      const error = request.error;
      logger.error('unhandled error', error instanceof Error ? error : new Error(String(error)));
      request.response = problemResponse(internalErrorProblem(instance ?? request.context.awsRequestId, instance));
    },
  };

  return middy(core)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(problems);
}
