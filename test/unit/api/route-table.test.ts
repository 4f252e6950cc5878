import { describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '../../../shared/api/routes.ts';
import { HTTP_FUNCTIONS } from '../../../shared/api/function-catalog.ts';

describe('route table', () => {
  it('has no route twice', () => {
    const keys = ROUTES.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('names only functions in the catalog', () => {
    for (const route of ROUTES) expect(Object.keys(HTTP_FUNCTIONS)).toContain(route.function);
  });
});
