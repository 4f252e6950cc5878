import { describe, expect, it } from 'vitest';
import { CreateUserRequest, ThresholdRequest } from '../../../shared/api/schemas.ts';

describe('request schemas', () => {
  it('takes a threshold with one or both limits', () => {
    expect(ThresholdRequest.safeParse({ max: 100 }).success).toBe(true);
    expect(ThresholdRequest.safeParse({ min: 40, max: 100, deadBand: 5 }).success).toBe(true);
  });
  it('refuses a threshold with no limit, crossed limits or a dead-band that could never clear', () => {
    expect(ThresholdRequest.safeParse({}).error?.issues[0]?.path).toEqual(['max']);
    expect(ThresholdRequest.safeParse({ min: 100, max: 40 }).error?.issues[0]?.path).toEqual(['min']);
    expect(ThresholdRequest.safeParse({ min: 50, max: 60, deadBand: 5 }).error?.issues[0]?.path).toEqual(['deadBand']);
  });
  it('requires a password that meets the pool policy, and lower-cases the email', () => {
    const base = { email: 'Ada@Example.org', name: 'Ada', role: 'clinician' };
    expect(CreateUserRequest.safeParse(base).success).toBe(false);
    expect(CreateUserRequest.safeParse({ ...base, password: 'alllowercase-123' }).error?.issues[0]?.message).toBe('password needs an upper-case letter');
    expect(CreateUserRequest.parse({ ...base, password: 'Correct-Horse-42' }).email).toBe('ada@example.org');
  });
});
