import { describe, expect, it } from 'vitest';
import { AlertListQuery, ChunkParams, CreateUserRequest, StartRecordingRequest, ThresholdRequest } from '../../../shared/api/schemas.ts';

describe('request schemas', () => {
  it('takes a threshold with one or both limits', () => {
    expect(ThresholdRequest.safeParse({ max: 100 }).success).toBe(true);
    expect(ThresholdRequest.safeParse({ min: 40, max: 100, deadBand: 5 }).success).toBe(true);
  });
  it('refuses a threshold with no limit', () => {
    expect(ThresholdRequest.safeParse({}).error?.issues[0]?.path).toEqual(['max']);
  });

  // Defect: these numbers passed the schema and DynamoDB refused to store them: 500.
  it.each([
    { what: 'max 1e-200', body: { max: 1e-200 }, field: 'max' },
    { what: 'deadBand 1e300', body: { max: 100, deadBand: 1e300 }, field: 'deadBand' },
    { what: 'deadBand 1e126', body: { max: 100, deadBand: 1e126 }, field: 'deadBand' },
    { what: 'min 2e-308', body: { min: 2e-308, max: 100 }, field: 'min' },
    { what: 'deadBand 2e-308', body: { max: 100, deadBand: 2e-308 }, field: 'deadBand' },
    { what: 'minDurationSeconds 1e20', body: { max: 100, minDurationSeconds: 1e20 }, field: 'minDurationSeconds' },
  ])('refuses the unstorable number $what, naming the field', ({ body, field }) => {
    const paths = new Set(ThresholdRequest.safeParse(body).error?.issues.map((issue) => issue.path.join('.')));
    expect([...paths]).toEqual([field]);
  });

  it('keeps limits with up to three decimals, and drops floating-point noise beyond them', () => {
    expect(ThresholdRequest.parse({ min: 35.125, max: 38.5 })).toMatchObject({ min: 35.125, max: 38.5 });
    expect(ThresholdRequest.parse({ max: 0.1 + 0.2 }).max).toBe(0.3);
  });
  it('takes no password (an invitation) or one that meets the pool policy, and lower-cases the email', () => {
    const base = { email: 'Ada@Example.org', name: 'Ada', role: 'clinician' };
    expect(CreateUserRequest.safeParse(base).success).toBe(true);
    expect(CreateUserRequest.safeParse({ ...base, password: 'alllowercase-123' }).error?.issues[0]?.message).toBe(
      'password needs an upper-case letter',
    );
    expect(CreateUserRequest.parse({ ...base, password: 'Correct-Horse-42' }).email).toBe('ada@example.org');
  });
  // Defect: names and device ids were stored as sent, with NUL, bidi overrides, newlines and markup.
  it.each([
    { what: 'a NUL', name: 'Ada\u0000' },
    { what: 'a right-to-left override', name: 'Ada \u202Enosliw' },
    { what: 'a newline', name: 'Ada\nLovelace' },
    { what: 'markup', name: '<script>alert(1)</script>' },
    { what: 'a lone surrogate', name: 'Ada \ud800' },
    { what: 'only spaces', name: '   ' },
    { what: '201 characters', name: 'a'.repeat(201) },
  ])('refuses a name with $what, naming the field', ({ name }) => {
    const result = CreateUserRequest.safeParse({ email: 'ada@example.org', name, role: 'clinician' });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['name']]);
  });

  it('takes names in any script, trimmed and in canonical form', () => {
    const parsed = CreateUserRequest.parse({ email: 'ada@example.org', name: '  Zoë O’Brien-Łukasiewicz 李 ', role: 'clinician' });
    expect(parsed.name).toBe('Zoë O’Brien-Łukasiewicz 李'.normalize('NFC'));
  });

  it.each([
    { what: 'a space', deviceId: 'band 7' },
    { what: 'a newline', deviceId: 'band\n7' },
    { what: 'markup', deviceId: '<b>band</b>' },
    { what: '129 characters', deviceId: 'x'.repeat(129) },
  ])('refuses a device id with $what, naming the field', ({ deviceId }) => {
    const result = StartRecordingRequest.safeParse({ sampleRateHz: 250, lead: 'II', deviceId });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['deviceId']]);
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
