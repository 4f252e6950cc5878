import { describe, expect, it } from 'vitest';
import { flattenClaims } from '../../../infra/local/jwt-authorizer.ts';
import { shapeResponse } from '../../../infra/local/http-gateway.ts';

describe('JWT authorizer claims', () => {
  it('are all strings, with arrays flattened the way API Gateway does', () => {
    expect(flattenClaims({ 'cognito:groups': ['admin', 'clinician'], exp: 1700000000, email_verified: true, sub: 'u' })).toEqual({
      'cognito:groups': '[admin clinician]',
      exp: '1700000000',
      email_verified: 'true',
      sub: 'u',
    });
  });
});

describe('payload 2.0 responses', () => {
  it('treat a result without statusCode as a 200 JSON body', () => {
    const shaped = shapeResponse({ ok: true });
    expect(shaped?.statusCode).toBe(200);
    expect(shaped?.headers['content-type']).toBe('application/json');
    expect(shaped?.body.toString()).toBe('{"ok":true}');
  });

  it('decode base64 bodies and lower-case header names', () => {
    const shaped = shapeResponse({
      statusCode: 201,
      headers: { 'X-A': 'b' },
      body: Buffer.from([1, 2]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(shaped?.statusCode).toBe(201);
    expect(shaped?.headers).toEqual({ 'x-a': 'b' });
    expect(shaped?.body).toEqual(Buffer.from([1, 2]));
  });

  it('reject a malformed statusCode', () => {
    expect(shapeResponse({ statusCode: '200' })).toBeUndefined();
  });
});
