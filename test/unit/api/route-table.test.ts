import { describe, expect, it } from 'vitest';
import { type RouteDefinition, ROUTES, routeKey } from '../../../shared/api/routes.ts';

const routes = ROUTES as readonly RouteDefinition[];

describe('route table', () => {
  it('has no route twice', () => {
    const keys = routes.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(routes.map((route) => ({ name: routeKey(route), route })))('$name parses exactly the parameters its path names', ({ route }) => {
    const inPath = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).sort();
    const parsed = Object.keys((route.params as { shape?: Record<string, unknown> } | undefined)?.shape ?? {}).sort();
    expect(parsed).toEqual(inPath);
  });

  it.each(routes.filter((route) => route.successStatus === 204).map((route) => ({ name: routeKey(route), route })))(
    '$name answers 204 and so declares no response body',
    ({ route }) => {
      expect(route.response).toBeUndefined();
    },
  );
});
