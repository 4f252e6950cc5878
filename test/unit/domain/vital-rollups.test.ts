import { describe, expect, it } from 'vitest';
import { localDayOf, localPeriods } from '../../../shared/domain/local-time.ts';
import { type HourOfQuarters, type QuarterAggregate, rollUp } from '../../../shared/domain/vital-rollups.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const iso = (epochMs: number) => new Date(epochMs).toISOString();
const hour = (start: string, quarters: QuarterAggregate[]): HourOfQuarters => ({ hourStart: at(start), quarters });

describe('rollUp', () => {
  // Kolkata is UTC+05:30: its days begin at 18:30Z, halfway through a UTC hour.
  const kolkataDay = (instant: string) => localDayOf(at(instant), 'Asia/Kolkata');
  const days = [
    kolkataDay('2026-06-13T12:00:00Z'),
    kolkataDay('2026-06-14T12:00:00Z'),
    kolkataDay('2026-06-15T12:00:00Z'),
    kolkataDay('2026-06-16T12:00:00Z'),
  ];

  it('splits a UTC hour between two Kolkata days by its quarters', () => {
    expect(days.map((day) => iso(day.start))).toEqual([
      '2026-06-12T18:30:00.000Z',
      '2026-06-13T18:30:00.000Z',
      '2026-06-14T18:30:00.000Z',
      '2026-06-15T18:30:00.000Z',
    ]);
    const hours = [
      // Before the first day: must not leak into it.
      hour('2026-06-12T18:00:00Z', [[10, 10, 10, 1], null, null, null]),
      // 18:00 and 18:15 belong to the Kolkata day of the 13th, 18:30 and 18:45 to the 14th.
      hour('2026-06-13T18:00:00Z', [
        [60, 70, 130, 2],
        [80, 80, 80, 1],
        [50, 55, 105, 2],
        [90, 100, 190, 2],
      ]),
      hour('2026-06-14T09:00:00Z', [null, [40, 61, 200, 3], null, null]),
      // The 15th (Kolkata) has no samples; the 16th ends at 18:30Z, so only 18:15 of this hour is in it.
      hour('2026-06-16T18:00:00Z', [null, [70, 70, 70, 1], [120, 120, 120, 1], null]),
    ];

    const buckets = rollUp(hours, days);

    expect(buckets).toEqual([
      { start: '2026-06-15T18:30:00.000Z', end: '2026-06-16T18:30:00.000Z', min: 70, max: 70, mean: 70, count: 1 },
      {
        start: '2026-06-13T18:30:00.000Z',
        end: '2026-06-14T18:30:00.000Z',
        min: 40,
        max: 100,
        mean: 70.714, // (105 + 190 + 200) / 7 = 70.7142…
        count: 7,
      },
      { start: '2026-06-12T18:30:00.000Z', end: '2026-06-13T18:30:00.000Z', min: 60, max: 80, mean: 70, count: 3 },
    ]);
  });

  it('adds the quarters of two UTC hours into one Kathmandu hour (UTC+05:45)', () => {
    const periods = localPeriods(at('2026-06-15T00:15:00Z'), at('2026-06-15T02:15:00Z'), 'Asia/Kathmandu', 'hour');
    expect(periods.map((period) => iso(period.start))).toEqual(['2026-06-15T00:15:00.000Z', '2026-06-15T01:15:00.000Z']);
    const hours = [
      hour('2026-06-15T00:00:00Z', [[1, 1, 1, 1], [2, 3, 5, 2], null, [4, 4, 4, 1]]),
      hour('2026-06-15T01:00:00Z', [[9, 9, 9, 1], [5, 6, 11, 2], null, null]),
    ];

    expect(rollUp(hours, periods)).toEqual([
      { start: '2026-06-15T01:15:00.000Z', end: '2026-06-15T02:15:00.000Z', min: 5, max: 6, mean: 5.5, count: 2 },
      { start: '2026-06-15T00:15:00.000Z', end: '2026-06-15T01:15:00.000Z', min: 2, max: 9, mean: 4.5, count: 4 },
    ]);
  });

  it('rounds the mean to three decimals and keeps min and max exact', () => {
    const period = { start: at('2026-01-01T00:00:00Z'), end: at('2026-01-01T01:00:00Z') };
    const [bucket] = rollUp([hour('2026-01-01T00:00:00Z', [[36.55, 37.125, 110.2, 3], null, null, null])], [period]);
    expect(bucket).toMatchObject({ min: 36.55, max: 37.125, mean: 36.733, count: 3 });
  });

  it('returns nothing when no period holds a sample, newest first otherwise', () => {
    const start = at('2026-02-01T00:00:00Z');
    const periods = Array.from({ length: 5 }, (_, index) => ({ start: start + index * DAY, end: start + (index + 1) * DAY }));
    expect(rollUp([], periods)).toEqual([]);
    expect(rollUp([hour('2026-02-01T05:00:00Z', [null, null, null, null])], periods)).toEqual([]);

    const hours = [0, 2, 4].map((day) => ({ hourStart: start + day * DAY, quarters: [[day, day, day, 1], null, null, null] as const }));
    expect(rollUp(hours, periods).map((bucket) => bucket.start)).toEqual([
      '2026-02-05T00:00:00.000Z',
      '2026-02-03T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
    ]);
  });
});
