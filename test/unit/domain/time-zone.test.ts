import { describe, expect, it } from 'vitest';
import { PhoneNumber } from '../../../shared/domain/text.ts';
import { TimeZone } from '../../../shared/domain/time-zone.ts';

const zoneProblem = (input: unknown) => TimeZone.safeParse(input).error?.issues[0]?.message;

describe('TimeZone', () => {
  it('accepts an IANA zone name as it is', () => {
    expect(TimeZone.parse('Europe/Berlin')).toBe('Europe/Berlin');
    expect(TimeZone.parse('America/New_York')).toBe('America/New_York');
  });

  it('stores a zone typed in the wrong case under its canonical name', () => {
    expect(TimeZone.parse('europe/berlin')).toBe('Europe/Berlin');
  });

  it('accepts UTC', () => {
    expect(TimeZone.parse('UTC')).toBe('UTC');
  });

  it('refuses a well-formed name the time-zone database does not know, saying what a zone looks like', () => {
    expect(zoneProblem('Mars/Olympus')).toBe('"Mars/Olympus" is not an IANA time zone such as Europe/Berlin or UTC');
  });

  it('refuses a fixed offset, which has no daylight-saving rules', () => {
    expect(zoneProblem('+01:00')).toBe('"+01:00" is not an IANA time zone such as Europe/Berlin or UTC');
    expect(TimeZone.safeParse('-0500').success).toBe(false);
  });

  it('refuses an empty name with a message', () => {
    expect(zoneProblem('')).toBe('"" is not an IANA time zone such as Europe/Berlin or UTC');
  });

  it('refuses a name longer than any zone without echoing all of it', () => {
    const result = TimeZone.safeParse(`Europe/${'x'.repeat(200)}`);
    expect(result.success).toBe(false);
    for (const issue of result.error?.issues ?? []) expect(issue.message.length).toBeLessThan(150);
  });
});

describe('PhoneNumber', () => {
  it('accepts an E.164 number', () => {
    expect(PhoneNumber.parse('+4930123456')).toBe('+4930123456');
  });

  it('refuses a national number without country code, saying what E.164 is', () => {
    const result = PhoneNumber.safeParse('030123456');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/E\.164/);
  });

  it('refuses a country code starting with 0', () => {
    expect(PhoneNumber.safeParse('+030123456').success).toBe(false);
  });

  it('refuses letters, spaces and punctuation', () => {
    for (const number of ['+49abc123456', '+49 30 123456', '+49-30-123456', '+49(30)123456']) {
      expect(PhoneNumber.safeParse(number).success, number).toBe(false);
    }
  });

  it('refuses numbers shorter or longer than E.164 allows', () => {
    expect(PhoneNumber.safeParse('+123456').success).toBe(false);
    expect(PhoneNumber.safeParse('+1234567').success).toBe(true);
    expect(PhoneNumber.safeParse('+123456789012345').success).toBe(true);
    expect(PhoneNumber.safeParse('+1234567890123456').success).toBe(false);
  });
});
