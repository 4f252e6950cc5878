// The OpenAPI 3.1 document, generated from the route table and its zod schemas so that the
// published contract is the one the handlers enforce: every status a route can answer with
// its real body (API Gateway's own {"message"} for what it refuses itself, problem+json for
// everything Vigil answers), named component schemas, and which roles may call each route.
import { ROLES } from '../domain/roles.ts';
import { METRICS } from '../domain/metrics.ts';
import { ROUTES, type RouteDefinition } from './routes.ts';
import { schemaComponents } from './schema-components.ts';
import { GatewayError, Problem, PROBLEM_CONTENT_TYPE as PROBLEM } from './schemas.ts';

type JsonSchema = Record<string, unknown>;
type Components = ReturnType<typeof schemaComponents>;

const JSON_TYPE = 'application/json';

interface Answer {
  description: string;
  /** Who writes the body: API Gateway itself, or Vigil's code. */
  from: Array<'gateway' | 'vigil'>;
}

/** Every status the route can answer besides its success, and who answers it. */
function answersOf(route: RouteDefinition): Record<string, Answer> {
  const answers: Record<string, Answer> = {};
  const add = (status: number, from: Answer['from'], description: string) => {
    const existing = answers[String(status)];
    answers[String(status)] = existing
      ? { description: `${existing.description}; ${description}`, from: [...new Set([...existing.from, ...from])] }
      : { description, from };
  };
  const extra = route.answers ?? {};
  if (route.params || route.query || route.body) add(400, ['vigil'], 'the request is malformed; `errors` names each failing field');
  if (route.auth === 'jwt') {
    add(401, ['gateway'], 'no access token, or an invalid or expired one');
    add(401, ['vigil'], 'the token is not an access token');
    add(403, ['vigil'], 'the signed-in user has no Vigil account, or their role may not call this route');
  }
  if (extra[401]) add(401, ['vigil'], extra[401]);
  if (extra[403]) add(403, ['vigil'], extra[403]);
  if (extra[404]) add(404, ['vigil'], extra[404]);
  else if (route.params) add(404, ['vigil'], 'not found, or not visible to the caller');
  if (extra[409]) add(409, ['vigil'], extra[409]);
  if (route.body) {
    add(413, ['gateway'], 'the body is over API Gateway’s 10 MB');
    add(413, ['vigil'], 'the body is over the 1 MiB a route accepts');
    add(415, ['vigil'], 'the body is not JSON (content-type)');
  }
  add(429, ['gateway'], 'throttled: too many requests to this route');
  if (extra[429]) add(429, ['vigil'], extra[429]);
  if (route.throttle && route.function === 'auth') add(429, ['vigil'], 'the user pool refuses more attempts for now');
  add(500, ['gateway', 'vigil'], 'something failed on our side; the problem names a request id to quote');
  add(503, ['gateway'], 'the function did not answer within 30 s');
  return answers;
}

function responseOf(answer: Answer, components: Components) {
  const content: Record<string, unknown> = {};
  if (answer.from.includes('gateway')) content[JSON_TYPE] = { schema: components.add(GatewayError, 'output') };
  if (answer.from.includes('vigil')) content[PROBLEM] = { schema: components.add(Problem, 'output') };
  return { description: answer.description, content };
}

function parametersOf(route: RouteDefinition, components: Components) {
  const parameters: Array<Record<string, unknown>> = [];
  for (const [location, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const json = components.add(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      parameters.push({ name, in: location, required: location === 'path' || (json.required ?? []).includes(name), schema: property });
    }
  }
  return parameters;
}

function rolesOf(route: RouteDefinition): readonly string[] {
  if (route.auth === 'public') return [];
  return route.roles ?? ROLES;
}

function operationIdOf(route: RouteDefinition): string {
  const words = route.path
    .replace(/[{}]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0 && word !== 'v1')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return `${route.method.toLowerCase()}${words.join('')}`;
}

function operationOf(route: RouteDefinition, components: Components) {
  const roles = rolesOf(route);
  const responses: Record<string, unknown> = {
    [String(route.successStatus)]: route.response
      ? { description: 'Success', content: { [JSON_TYPE]: { schema: components.add(route.response, 'output') } } }
      : { description: 'Success (no body)' },
  };
  for (const [status, answer] of Object.entries(answersOf(route))) responses[status] = responseOf(answer, components);
  return {
    operationId: operationIdOf(route),
    summary: route.summary,
    description: route.auth === 'public' ? 'Public: no token needed.' : `Callers: ${roles.join(', ')}, signed in with an access token.`,
    tags: [route.function],
    'x-vigil-roles': roles,
    ...(route.throttle ? { 'x-vigil-throttle': route.throttle } : {}),
    security: route.auth === 'jwt' ? [{ cognitoAccessToken: [] }] : [],
    parameters: parametersOf(route, components),
    ...(route.body
      ? {
          requestBody: {
            // A body the schema lets be absent (adding a clinician to a care team) is optional.
            required: !route.body.safeParse(undefined).success,
            content: { [JSON_TYPE]: { schema: components.add(route.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

const UNITS = Object.entries(METRICS)
  .map(([metric, { unit, loinc }]) => `${metric} (${unit}, LOINC ${loinc})`)
  .join(', ');

export function buildOpenApiDocument(version: string) {
  const components = schemaComponents({ refBase: '#/components/schemas/', target: 'draft-2020-12' });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES as readonly RouteDefinition[]) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operationOf(route, components);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Vigil API',
      version,
      description: [
        'Remote patient monitoring: vital signs, ECG analysis and alerts.',
        `Metrics and their UCUM units: ${UNITS}. ECG samples are int16 microvolts (µV), sent as a JSON array or as little-endian int16 in base64.`,
        'Errors are RFC 9457 problem documents (application/problem+json) naming each failing field; what API Gateway refuses itself (no token, a body over 10 MB, throttling) carries its own {"message"} body.',
        'The WebSocket protocol is described at /v1/asyncapi.json.',
      ].join('\n\n'),
    },
    servers: [
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'A deployment on AWS (the stack output HttpApiUrl)',
        variables: { apiId: { default: 'abcdef1234' }, region: { default: 'eu-west-1' } },
      },
      { url: 'http://localhost:{port}', description: 'The local twin (npm start)', variables: { port: { default: '3000' } } },
    ],
    paths,
    components: {
      securitySchemes: {
        cognitoAccessToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The accessToken from POST /v1/auth/login (Cognito user pool); ID tokens are refused',
        },
      },
      schemas: components.schemas,
    },
  };
}
