import { describe, expect, it } from 'vitest';
import { HTTP_FUNCTIONS } from '../../../shared/api/function-catalog.ts';
import { ROUTES, routeKey } from '../../../shared/api/routes.ts';
import { buildOpenApiDocument } from '../../../shared/api/openapi.ts';

// Each function builds its router with httpFunction, which throws at import when the
// implemented routes differ from the route table's; importing every handler proves agreement.
describe('route table, handlers and OpenAPI agree', () => {
  it.each(Object.entries(HTTP_FUNCTIONS))('the %s handler implements exactly its routes', async (_name, definition) => {
    const module = (await import(`../../../${definition.entry}`)) as { handler?: unknown };
    expect(typeof module.handler).toBe('function');
  });

  it('the OpenAPI document has every route and nothing else', () => {
    const document = buildOpenApiDocument('test');
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  it('documents request bodies and marks signed-in routes as secured', () => {
    const document = buildOpenApiDocument('test');
    const chunk = document.paths['/v1/ecg/{recordingId}/chunks/{seq}']?.['put'] as Record<string, unknown>;
    expect(chunk['requestBody']).toBeDefined();
    expect(chunk['security']).toEqual([{ cognitoAccessToken: [] }]);
    const health = document.paths['/v1/health']?.['get'] as Record<string, unknown>;
    expect(health['security']).toEqual([]);
  });

  it('states the range of numeric path and query parameters', () => {
    const document = buildOpenApiDocument('test');
    const parameters = (path: string, method: string) =>
      (document.paths[path]![method] as { parameters: Array<{ name: string; schema: { description?: string } }> }).parameters;
    const seq = parameters('/v1/ecg/{recordingId}/chunks/{seq}', 'put').find((p) => p.name === 'seq');
    expect(seq?.schema.description).toBe('a whole number from 0 to 99999, in decimal digits');
    const limit = parameters('/v1/alerts', 'get').find((p) => p.name === 'limit');
    expect(limit?.schema.description).toBe('a whole number from 1 to 100, in decimal digits');
  });
});
