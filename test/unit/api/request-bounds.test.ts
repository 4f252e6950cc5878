// Every value a client can send is bounded where the API takes it, as the published
// description says: each number has a least and a greatest value (DynamoDB cannot store
// 1e-200 or 1e300, and must not be asked to), each string a greatest length or a shape that
// bounds it, each array a greatest number of items.
import { describe, expect, it } from 'vitest';
import { type RouteDefinition, ROUTES, routeKey } from '../../../shared/api/routes.ts';
import { requestFields } from '../../support/request-fields.ts';

const fields = (ROUTES as readonly RouteDefinition[]).flatMap((route) =>
  requestFields(route).map((field) => ({ name: `${routeKey(route)} ${field.path}`, ...field })),
);

/** String shapes whose pattern or format bounds their length. */
const BOUNDED_FORMATS = new Set(['uuid', 'date-time', 'email']);

describe('request bounds', () => {
  it.each(fields.filter((field) => field.schema['type'] === 'number' || field.schema['type'] === 'integer'))(
    '$name has a least and a greatest value',
    ({ schema }) => {
      expect(schema['minimum'] ?? schema['exclusiveMinimum']).toEqual(expect.any(Number));
      expect(schema['maximum'] ?? schema['exclusiveMaximum']).toEqual(expect.any(Number));
    },
  );

  it.each(fields.filter((field) => field.schema['type'] === 'string'))('$name has a greatest length or a bounded shape', ({ schema }) => {
    const bounded =
      typeof schema['maxLength'] === 'number' ||
      Array.isArray(schema['enum']) ||
      schema['const'] !== undefined ||
      BOUNDED_FORMATS.has(String(schema['format'])) ||
      /\{\d+(,\d+)?\}\$$/.test(String(schema['pattern'] ?? ''));
    expect(bounded, JSON.stringify(schema)).toBe(true);
  });

  it.each(fields.filter((field) => field.schema['type'] === 'array'))('$name has a greatest number of items', ({ schema }) => {
    expect(schema['maxItems']).toEqual(expect.any(Number));
  });
});
