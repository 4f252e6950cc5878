import { describe, expect, it } from 'vitest';
import { localDayOf, localHourOf, localPeriods, zoneOffsetMs } from '../../../shared/domain/local-time.ts';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** The local day holding an instant, as UTC instants and its length in hours. */
function dayOf(instant: string, timeZone: string) {
  const { start, end } = localDayOf(at(instant), timeZone);
  return { start: iso(start), end: iso(end), hours: (end - start) / HOUR };
}

/** Each period meets the next: no gap, no overlap, starts strictly increasing. */
function expectTiling(periods: Array<{ start: number; end: number }>, from: number, to: number) {
  expect(periods[0]?.start).toBe(from);
  expect(periods.at(-1)?.end).toBe(to);
  periods.forEach((period, index) => {
    expect(period.end, `period ${index} ends after it starts`).toBeGreaterThan(period.start);
    const previous = periods[index - 1];
    if (previous) {
      expect(period.start, `period ${index} starts after period ${index - 1}`).toBeGreaterThan(previous.start);
      expect(iso(period.start), `period ${index} starts where period ${index - 1} ends`).toBe(iso(previous.end));
    }
  });
}

describe('zoneOffsetMs', () => {
  it('is the offset in force at the instant, including half and quarter hours', () => {
    expect(zoneOffsetMs(at('2026-07-01T12:00:00.250Z'), 'Europe/Berlin')).toBe(2 * HOUR);
    expect(zoneOffsetMs(at('2026-01-15T12:00:00.250Z'), 'Europe/Berlin')).toBe(1 * HOUR);
    expect(zoneOffsetMs(at('2026-06-15T12:00:00.999Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR);
    expect(zoneOffsetMs(at('2026-06-15T12:00:00Z'), 'Asia/Kathmandu')).toBe(5.75 * HOUR);
    expect(zoneOffsetMs(at('2026-06-15T12:00:00Z'), 'America/Santiago')).toBe(-4 * HOUR);
    expect(zoneOffsetMs(at('2026-06-15T12:00:00Z'), 'UTC')).toBe(0);
  });

  it('changes at the instant the clocks change (Berlin spring, 01:00Z)', () => {
    expect(zoneOffsetMs(at('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toBe(1 * HOUR);
    expect(zoneOffsetMs(at('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(2 * HOUR);
  });
});

describe('localDayOf', () => {
  it('gives an ordinary Berlin day 24 hours from local midnight to local midnight', () => {
    expect(dayOf('2026-06-15T12:00:00Z', 'Europe/Berlin')).toEqual({
      start: '2026-06-14T22:00:00.000Z',
      end: '2026-06-15T22:00:00.000Z',
      hours: 24,
    });
  });

  it('gives the Berlin spring-forward day 23 hours', () => {
    expect(dayOf('2026-03-29T12:00:00Z', 'Europe/Berlin')).toEqual({
      start: '2026-03-28T23:00:00.000Z',
      end: '2026-03-29T22:00:00.000Z',
      hours: 23,
    });
  });

  it('gives the Berlin fall-back day 25 hours', () => {
    expect(dayOf('2026-10-25T12:00:00Z', 'Europe/Berlin')).toEqual({
      start: '2026-10-24T22:00:00.000Z',
      end: '2026-10-25T23:00:00.000Z',
      hours: 25,
    });
  });

  it('puts both passes of the repeated Berlin 02:00–03:00 hour in the same day', () => {
    // 00:30Z is 02:30 CEST, 01:30Z is 02:30 CET.
    expect(dayOf('2026-10-25T00:30:00Z', 'Europe/Berlin')).toEqual(dayOf('2026-10-25T01:30:00Z', 'Europe/Berlin'));
    expect(dayOf('2026-10-25T01:30:00Z', 'Europe/Berlin').start).toBe('2026-10-24T22:00:00.000Z');
  });

  it('starts a Kolkata day at 18:30Z the day before (+5:30)', () => {
    expect(dayOf('2026-06-15T12:00:00Z', 'Asia/Kolkata')).toEqual({
      start: '2026-06-14T18:30:00.000Z',
      end: '2026-06-15T18:30:00.000Z',
      hours: 24,
    });
  });

  it('starts a Kathmandu day at 18:15Z the day before (+5:45)', () => {
    expect(dayOf('2026-06-15T12:00:00Z', 'Asia/Kathmandu')).toEqual({
      start: '2026-06-14T18:15:00.000Z',
      end: '2026-06-15T18:15:00.000Z',
      hours: 24,
    });
  });

  it("gives Lord Howe's spring day 23.5 hours (a half-hour DST shift, +10:30 to +11)", () => {
    expect(dayOf('2026-10-04T00:00:00Z', 'Australia/Lord_Howe')).toEqual({
      start: '2026-10-03T13:30:00.000Z',
      end: '2026-10-04T13:00:00.000Z',
      hours: 23.5,
    });
  });

  it("gives Lord Howe's autumn day 24.5 hours (+11 back to +10:30)", () => {
    expect(dayOf('2026-04-05T00:00:00Z', 'Australia/Lord_Howe')).toEqual({
      start: '2026-04-04T13:00:00.000Z',
      end: '2026-04-05T13:30:00.000Z',
      hours: 24.5,
    });
  });

  it('begins the Santiago spring day at 01:00 local, the clock skipping midnight', () => {
    // Midnight at -04 (04:00Z) is when the clock jumps to 01:00 -03; the next midnight is at -03.
    expect(dayOf('2026-09-06T12:00:00Z', 'America/Santiago')).toEqual({
      start: '2026-09-06T04:00:00.000Z',
      end: '2026-09-07T03:00:00.000Z',
      hours: 23,
    });
  });

  it('ends the Santiago day before the skipped midnight where the next one begins, 24 hours long', () => {
    expect(dayOf('2026-09-05T12:00:00Z', 'America/Santiago')).toEqual({
      start: '2026-09-05T04:00:00.000Z',
      end: '2026-09-06T04:00:00.000Z',
      hours: 24,
    });
  });

  it('gives the Santiago autumn day, whose last hour repeats at midnight, 25 hours', () => {
    expect(dayOf('2026-04-04T12:00:00Z', 'America/Santiago')).toEqual({
      start: '2026-04-04T03:00:00.000Z',
      end: '2026-04-05T04:00:00.000Z',
      hours: 25,
    });
  });

  it('begins the Havana spring day at the skipped midnight and gives it 23 hours', () => {
    expect(dayOf('2026-03-08T12:00:00Z', 'America/Havana')).toEqual({
      start: '2026-03-08T05:00:00.000Z',
      end: '2026-03-09T04:00:00.000Z',
      hours: 23,
    });
  });

  it('begins the Havana autumn day at the first of its two midnights and gives it 25 hours', () => {
    expect(dayOf('2026-11-01T12:00:00Z', 'America/Havana')).toEqual({
      start: '2026-11-01T04:00:00.000Z',
      end: '2026-11-02T05:00:00.000Z',
      hours: 25,
    });
    // 05:30Z is 00:30 on the second pass of midnight: still the same day, not a new one.
    expect(dayOf('2026-11-01T05:30:00Z', 'America/Havana').start).toBe('2026-11-01T04:00:00.000Z');
    expect(dayOf('2026-10-31T12:00:00Z', 'America/Havana')).toMatchObject({ end: '2026-11-01T04:00:00.000Z', hours: 24 });
  });

  it('gives Sydney a 25-hour day in April and a 23-hour day in October (southern hemisphere)', () => {
    expect(dayOf('2026-04-05T00:00:00Z', 'Australia/Sydney')).toEqual({
      start: '2026-04-04T13:00:00.000Z',
      end: '2026-04-05T14:00:00.000Z',
      hours: 25,
    });
    expect(dayOf('2026-10-04T00:00:00Z', 'Australia/Sydney')).toEqual({
      start: '2026-10-03T14:00:00.000Z',
      end: '2026-10-04T13:00:00.000Z',
      hours: 23,
    });
    expect(dayOf('2026-06-15T00:00:00Z', 'Australia/Sydney')).toMatchObject({ start: '2026-06-14T14:00:00.000Z', hours: 24 });
  });

  it('gives UTC days of 24 hours from 00:00Z', () => {
    expect(dayOf('2026-03-29T12:00:00Z', 'UTC')).toEqual({ start: '2026-03-29T00:00:00.000Z', end: '2026-03-30T00:00:00.000Z', hours: 24 });
    expect(dayOf('2026-12-31T23:59:59.999Z', 'UTC')).toEqual({
      start: '2026-12-31T00:00:00.000Z',
      end: '2027-01-01T00:00:00.000Z',
      hours: 24,
    });
  });

  it('puts an instant exactly at local midnight in the day it starts, and the millisecond before in the day before', () => {
    expect(dayOf('2026-10-24T22:00:00Z', 'Europe/Berlin').start).toBe('2026-10-24T22:00:00.000Z');
    expect(dayOf('2026-10-24T21:59:59.999Z', 'Europe/Berlin').end).toBe('2026-10-24T22:00:00.000Z');
    expect(dayOf('2026-06-14T18:15:00Z', 'Asia/Kathmandu').start).toBe('2026-06-14T18:15:00.000Z');
    expect(dayOf('2026-06-14T18:14:59.999Z', 'Asia/Kathmandu').end).toBe('2026-06-14T18:15:00.000Z');
    // Santiago's 2026-09-06 starts at 01:00 local, when the clock skips midnight.
    expect(dayOf('2026-09-06T04:00:00Z', 'America/Santiago').start).toBe('2026-09-06T04:00:00.000Z');
    expect(dayOf('2026-09-06T03:59:59.999Z', 'America/Santiago').start).toBe('2026-09-05T04:00:00.000Z');
    expect(dayOf('2026-06-15T00:00:00Z', 'UTC').start).toBe('2026-06-15T00:00:00.000Z');
  });
});

describe('localHourOf', () => {
  it('starts the Kolkata hour holding 12:10Z at 11:30Z (17:00 local)', () => {
    const hour = localHourOf(at('2026-06-15T12:10:00Z'), 'Asia/Kolkata');
    expect(iso(hour.start)).toBe('2026-06-15T11:30:00.000Z');
    expect(iso(hour.end)).toBe('2026-06-15T12:30:00.000Z');
  });

  it('starts a Kathmandu hour at a quarter past the UTC hour', () => {
    expect(iso(localHourOf(at('2026-06-15T12:10:00Z'), 'Asia/Kathmandu').start)).toBe('2026-06-15T11:15:00.000Z');
  });

  it('tells apart the two passes of the repeated Berlin 02:00 hour', () => {
    expect(iso(localHourOf(at('2026-10-25T00:30:00Z'), 'Europe/Berlin').start)).toBe('2026-10-25T00:00:00.000Z');
    expect(iso(localHourOf(at('2026-10-25T01:30:00Z'), 'Europe/Berlin').start)).toBe('2026-10-25T01:00:00.000Z');
  });
});

describe('localPeriods', () => {
  it('splits the Berlin fall-back day into 25 hours that tile it without gaps', () => {
    const day = localDayOf(at('2026-10-25T12:00:00Z'), 'Europe/Berlin');
    const hours = localPeriods(day.start, day.end, 'Europe/Berlin', 'hour');
    expect(hours).toHaveLength(25);
    expectTiling(hours, day.start, day.end);
    expect(hours.map((hour) => iso(hour.start))).toEqual(Array.from({ length: 25 }, (_, i) => iso(at('2026-10-24T22:00:00Z') + i * HOUR)));
  });

  it('splits the Berlin spring-forward day into 23 hours', () => {
    const day = localDayOf(at('2026-03-29T12:00:00Z'), 'Europe/Berlin');
    const hours = localPeriods(day.start, day.end, 'Europe/Berlin', 'hour');
    expect(hours).toHaveLength(23);
    expectTiling(hours, day.start, day.end);
  });

  it('splits the Lord Howe spring day into hours that tile it without overlap', () => {
    // The clock jumps from 02:00 (+10:30) to 02:30 (+11) at 15:30Z: local 01:00–02:00 lasts
    // 14:30Z–15:30Z, and the next hour must begin where it ends, not at 02:00 +11 (15:00Z).
    const day = localDayOf(at('2026-10-04T00:00:00Z'), 'Australia/Lord_Howe');
    const hours = localPeriods(day.start, day.end, 'Australia/Lord_Howe', 'hour');
    expectTiling(hours, day.start, day.end);
  });

  it('lists the days overlapping a range, each from local midnight, across a DST change', () => {
    const days = localPeriods(at('2026-03-28T12:00:00Z'), at('2026-03-30T12:00:00Z'), 'Europe/Berlin', 'day');
    expect(days.map((day) => [iso(day.start), (day.end - day.start) / HOUR])).toEqual([
      ['2026-03-27T23:00:00.000Z', 24],
      ['2026-03-28T23:00:00.000Z', 23],
      ['2026-03-29T22:00:00.000Z', 24],
    ]);
    expectTiling(days, at('2026-03-27T23:00:00Z'), at('2026-03-30T22:00:00Z'));
  });

  it('lists no period for an empty range', () => {
    expect(localPeriods(at('2026-06-15T12:00:00Z'), at('2026-06-15T12:00:00Z'), 'UTC', 'hour')).toEqual([]);
  });
});
