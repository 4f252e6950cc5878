// Checks an HTTP answer against the contract the route table declares and the OpenAPI
// document publishes: the status and content type are ones the document lists for the
// operation, a success carries the route's response schema (strict, so a leaked field fails),
// a Vigil error is a problem document, and what API Gateway refuses itself is its {"message"}
// body. Every e2e request made through the typed client or rawRequest passes through here.
import { buildOpenApiDocument } from '../../shared/api/openapi.ts';
import { type RouteDefinition, ROUTES, routeKey } from '../../shared/api/routes.ts';
import { GatewayError, Problem } from '../../shared/api/schemas.ts';

const compiled = (ROUTES as readonly RouteDefinition[]).map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+').replaceAll('.', '\\.')}$`),
}));

const documented = buildOpenApiDocument('contract').paths as Record<
  string,
  Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
>;

/** Whether the OpenAPI document lists `status`, with `contentType` when there is a body, for the route. */
function documentedAnswer(route: RouteDefinition, status: number, contentType: string, hasBody: boolean): string | undefined {
  const answer = documented[route.path]?.[route.method.toLowerCase()]?.responses[String(status)];
  if (answer === undefined) return `answered ${status}, a status its OpenAPI description does not list`;
  const mediaType = contentType.split(';')[0]?.trim() ?? '';
  if (hasBody && !Object.hasOwn(answer.content ?? {}, mediaType))
    return `answered ${status} as ${mediaType}, which its OpenAPI description does not list`;
  return undefined;
}

export function routeOf(method: string, pathname: string): RouteDefinition | undefined {
  return compiled.find((entry) => entry.route.method === method && entry.pattern.test(pathname))?.route;
}

/** What is wrong with the answer, or undefined when it keeps the contract. */
export function contractViolation(method: string, pathname: string, status: number, contentType: string, text: string): string | undefined {
  const route = routeOf(method, pathname);
  const where = route ? routeKey(route) : `${method} ${pathname}`;
  let body: unknown;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    return `${where} answered ${status} with a body that is not JSON`;
  }
  if (route !== undefined) {
    const undocumented = documentedAnswer(route, status, contentType, text.length > 0);
    if (undocumented !== undefined) return `${where} ${undocumented}`;
  }
  const failed = (what: string, issues: readonly { path: PropertyKey[]; message: string }[]) =>
    `${where} answered ${status} with a body that is not ${what}: ${issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ')}`;
  if (route !== undefined && status === route.successStatus) {
    if (route.response === undefined) return body === undefined ? undefined : `${where} answered ${status} with a body; it has none`;
    const parsed = route.response.safeParse(body);
    return parsed.success ? undefined : failed('its response schema', parsed.error.issues);
  }
  if (contentType.startsWith('application/problem+json')) {
    const parsed = Problem.safeParse(body);
    if (!parsed.success) return failed('a problem document', parsed.error.issues);
    return parsed.data.status === status ? undefined : `${where} answered ${status} with a problem saying ${parsed.data.status}`;
  }
  const parsed = GatewayError.safeParse(body);
  return parsed.success ? undefined : failed('API Gateway’s {"message"}', parsed.error.issues);
}
