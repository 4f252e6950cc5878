// The OpenAPI 3.1 document, generated from the route table and its zod schemas so that the
// published contract is the one the handlers enforce.
import { z } from 'zod';
import { ROUTES, type RouteDefinition } from './routes.ts';
import { ProblemDetails } from './schemas.ts';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

function parametersOf(route: RouteDefinition) {
  const parameters: Array<Record<string, unknown>> = [];
  for (const [location, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const json = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      parameters.push({ name, in: location, required: location === 'path' || (json.required ?? []).includes(name), schema: property });
    }
  }
  return parameters;
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

function operationOf(route: RouteDefinition) {
  const responses: Record<string, unknown> = {
    [String(route.successStatus)]: route.response
      ? {
          description: 'Success',
          content: { [route.responseContentType ?? 'application/json']: { schema: toSchema(route.response, 'output') } },
        }
      : { description: 'Success' },
    '400': problem('The request is malformed; `errors` names each field'),
  };
  if (route.auth === 'jwt') {
    responses['401'] = { description: 'Missing or invalid access token' };
    responses['403'] = problem('The caller may not do this');
    responses['404'] = problem('Not found, or not visible to the caller');
  }
  if (route.body) responses['413'] = problem('The body is larger than the API accepts');
  return {
    operationId: `${route.method.toLowerCase()}${route.path
      .replace(/[{}]/g, '')
      .replace(/\/(\w)/g, (_m, c: string) => c.toUpperCase())
      .replace(/[^A-Za-z0-9]/g, '')}`,
    summary: route.summary,
    tags: [route.function],
    ...(route.auth === 'jwt' ? { security: [{ cognitoAccessToken: [] }] } : { security: [] }),
    parameters: parametersOf(route),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } } } : {}),
    responses,
  };
}

export function buildOpenApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES as readonly RouteDefinition[]) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Vigil API', version, description: 'Remote patient monitoring: vitals, ECG analysis and alerts.' },
    paths,
    components: {
      securitySchemes: { cognitoAccessToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: toSchema(ProblemDetails, 'output') },
    },
  };
}
