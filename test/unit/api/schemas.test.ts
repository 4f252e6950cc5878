import { describe, expect, it } from 'vitest';
import { AlertListQuery, ChunkParams, CreateUserRequest, StartRecordingRequest, ThresholdRequest } from '../../../shared/api/schemas.ts';

describe('request schemas', () => {
  it('takes a threshold with one or both limits', () => {
    expect(ThresholdRequest.safeParse({ max: 100 }).success).toBe(true);
    expect(ThresholdRequest.safeParse({ min: 40, max: 100, deadBand: 5 }).success).toBe(true);
  });
  it('refuses a threshold with no limit, crossed limits or a dead-band that could never clear', () => {
    expect(ThresholdRequest.safeParse({}).error?.issues[0]?.path).toEqual(['max']);
    expect(ThresholdRequest.safeParse({ min: 100, max: 40 }).error?.issues.map((issue) => issue.path)).toEqual([['min']]);
    expect(ThresholdRequest.safeParse({ min: 50, max: 60, deadBand: 5 }).error?.issues[0]?.path).toEqual(['deadBand']);
  });
  it('takes no password (an invitation) or one that meets the pool policy, and lower-cases the email', () => {
    const base = { email: 'Ada@Example.org', name: 'Ada', role: 'clinician' };
    expect(CreateUserRequest.safeParse(base).success).toBe(true);
    expect(CreateUserRequest.safeParse({ ...base, password: 'alllowercase-123' }).error?.issues[0]?.message).toBe(
      'password needs an upper-case letter',
    );
    expect(CreateUserRequest.parse({ ...base, password: 'Correct-Horse-42' }).email).toBe('ada@example.org');
  });
  it('takes sequence numbers and page sizes in decimal digits only', () => {
    const recordingId = '0b9f7c1e-2f4a-4c56-9d61-3f8a1c2b7e90';
    expect(ChunkParams.parse({ recordingId, seq: '42' }).seq).toBe(42);
    for (const seq of ['', ' ', '0x10', '1e2', '-1', '1.5', '100000']) {
      expect(ChunkParams.safeParse({ recordingId, seq }).error?.issues[0]?.path, `seq ${JSON.stringify(seq)}`).toEqual(['seq']);
    }
    expect(AlertListQuery.parse({ limit: '20' }).limit).toBe(20);
    expect(AlertListQuery.safeParse({ limit: '2e1' }).error?.issues[0]?.path).toEqual(['limit']);
  });
  it('takes a recording start from the past or a few minutes ahead (clock skew), not further', () => {
    const at = (offsetSeconds: number) => ({
      sampleRateHz: 250,
      lead: 'II',
      startedAt: new Date(Date.now() + offsetSeconds * 1000).toISOString(),
    });
    expect(StartRecordingRequest.safeParse(at(-86_400)).success).toBe(true);
    expect(StartRecordingRequest.safeParse(at(240)).success).toBe(true);
    const future = StartRecordingRequest.safeParse(at(3600)).error?.issues[0];
    expect(future?.path).toEqual(['startedAt']);
    expect(future?.message).toBe('must not be more than 5 minutes in the future');
  });
});
