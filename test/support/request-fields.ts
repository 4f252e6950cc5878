// The fields a route takes, read from the published OpenAPI document: each leaf of its path
// parameters, query and body (through $refs, unions and arrays), with its JSON Schema. What
// clients are told is what these tests check and fuzz.
import { buildOpenApiDocument } from '../../shared/api/openapi.ts';
import type { RouteDefinition } from '../../shared/api/routes.ts';

type JsonSchema = Record<string, unknown>;

export interface RequestField {
  /** As the API names it in a problem: body.samples.0, params.seq, query.limit. */
  readonly path: string;
  readonly schema: JsonSchema;
}

const document = buildOpenApiDocument('fields') as unknown as {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters: Array<{ name: string; in: string; schema: JsonSchema }>;
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
  components: { schemas: Record<string, JsonSchema> };
};

function resolve(schema: JsonSchema): JsonSchema {
  const ref = schema['$ref'];
  if (typeof ref !== 'string') return schema;
  const target = document.components.schemas[ref.replace('#/components/schemas/', '')];
  if (target === undefined) throw new Error(`unresolved ${ref}`);
  return resolve(target);
}

function leaves(schema: JsonSchema, path: string): RequestField[] {
  const resolved = resolve(schema);
  const variants = (resolved['anyOf'] ?? resolved['oneOf']) as JsonSchema[] | undefined;
  if (variants) return variants.flatMap((variant) => leaves(variant, path));
  const properties = resolved['properties'] as Record<string, JsonSchema> | undefined;
  if (properties) return Object.entries(properties).flatMap(([name, property]) => leaves(property, `${path}.${name}`));
  const items = resolved['items'] as JsonSchema | undefined;
  if (resolved['type'] === 'array' && items) return [{ path, schema: resolved }, ...leaves(items, `${path}.0`)];
  return [{ path, schema: resolved }];
}

export function requestFields(route: RouteDefinition): RequestField[] {
  const operation = document.paths[route.path]?.[route.method.toLowerCase()];
  if (operation === undefined) throw new Error(`the OpenAPI document has no ${route.method} ${route.path}`);
  const parameters = operation.parameters.map((parameter) => ({
    path: `${parameter.in === 'path' ? 'params' : 'query'}.${parameter.name}`,
    schema: resolve(parameter.schema),
  }));
  const body = operation.requestBody?.content['application/json']?.schema;
  return [...parameters, ...(body ? leaves(body, 'body') : [])];
}
