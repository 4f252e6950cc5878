import { describe, expect, it } from 'vitest';
import { readGroupsClaim, readSubjectClaim } from '../../../shared/auth/claims.ts';

describe('readGroupsClaim', () => {
  it('reads the HTTP API authorizer form, flattened to "[a b]"', () => {
    expect(readGroupsClaim({ 'cognito:groups': '[admin clinician]' })).toEqual(['admin', 'clinician']);
  });
  it('reads a real array, as a Lambda authorizer or a verified token gives it', () => {
    expect(readGroupsClaim({ 'cognito:groups': ['admin', 'clinician'] })).toEqual(['admin', 'clinician']);
  });
  it('reads a single group without brackets', () => {
    expect(readGroupsClaim({ 'cognito:groups': 'patient' })).toEqual(['patient']);
  });
  it('gives no groups when the claim is absent or empty', () => {
    expect(readGroupsClaim({})).toEqual([]);
    expect(readGroupsClaim({ 'cognito:groups': '[]' })).toEqual([]);
  });
});

describe('readSubjectClaim', () => {
  it('reads sub and ignores empty or non-string values', () => {
    expect(readSubjectClaim({ sub: 'abc' })).toBe('abc');
    expect(readSubjectClaim({ sub: '' })).toBeUndefined();
    expect(readSubjectClaim({ sub: 5 })).toBeUndefined();
  });
});
