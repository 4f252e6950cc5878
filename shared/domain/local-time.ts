// Calendar arithmetic in a person's own time zone: where their days and hours begin, in UTC,
// across daylight-saving changes (a 23- or 25-hour day) and zones offset by a half or a
// quarter hour (India, Nepal, Chatham).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(epochMs: number, timeZone: string): LocalParts {
  const parts = Object.fromEntries(
    formatterOf(timeZone)
      .formatToParts(new Date(epochMs))
      .map((part) => [part.type, part.value]),
  );
  return {
    year: Number(parts['year']),
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    second: Number(parts['second']),
  };
}

/** The zone's offset from UTC at an instant, in ms (Berlin in summer: +7 200 000). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const p = localParts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant a local wall-clock hour names: the earlier one when the clock repeats it (the
 * autumn change), and the moment the clock jumps when it skips it (a spring change at midnight).
 */
function instantOf(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  // The offsets in force half a day either side bracket any change near this time.
  const candidates = [wall - zoneOffsetMs(wall - 43_200_000, timeZone), wall - zoneOffsetMs(wall + 43_200_000, timeZone)];
  const named = candidates.filter((instant) => {
    const p = localParts(instant, timeZone);
    return p.year === year && p.month === month && p.day === day && p.hour === hour && p.minute === 0;
  });
  return named.length > 0 ? Math.min(...named) : Math.max(...candidates);
}

/** Where the local day holding `epochMs` begins and ends, in epoch ms. */
export function localDayOf(epochMs: number, timeZone: string): { start: number; end: number } {
  const p = localParts(epochMs, timeZone);
  const start = instantOf(p.year, p.month, p.day, 0, timeZone);
  const next = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  const end = instantOf(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, timeZone);
  return { start, end };
}

/** The first instant in (after, until] whose offset is `offset` (a clock change lies between), to the second. */
function changeBetween(after: number, until: number, offset: number, timeZone: string): number {
  let low = after;
  let high = until;
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2);
    if (zoneOffsetMs(middle, timeZone) === offset) high = middle;
    else low = middle;
  }
  return high - (high % 1000);
}

/**
 * Where the local hour holding `epochMs` begins and ends, in epoch ms. An hour a clock change
 * cuts (Lord Howe moves by half an hour) ends, or begins, at the change, so hours never overlap.
 */
export function localHourOf(epochMs: number, timeZone: string): { start: number; end: number } {
  const offset = zoneOffsetMs(epochMs, timeZone);
  let start = Math.floor((epochMs + offset) / 3_600_000) * 3_600_000 - offset;
  let end = start + 3_600_000;
  if (zoneOffsetMs(start, timeZone) !== offset) start = changeBetween(start, epochMs, offset, timeZone);
  const offsetAtEnd = zoneOffsetMs(end - 1, timeZone);
  if (offsetAtEnd !== offset) end = changeBetween(epochMs, end - 1, offsetAtEnd, timeZone);
  return { start, end };
}

/** The local days (or hours) that overlap [from, to), oldest first. */
export function localPeriods(from: number, to: number, timeZone: string, unit: 'day' | 'hour'): Array<{ start: number; end: number }> {
  const periodOf = unit === 'day' ? localDayOf : localHourOf;
  const periods: Array<{ start: number; end: number }> = [];
  for (let at = from; at < to; ) {
    const period = periodOf(at, timeZone);
    periods.push(period);
    at = period.end;
  }
  return periods;
}
