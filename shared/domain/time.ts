// Points in time as the system stores them: ISO 8601 with an offset, compared as UTC.
import { z } from 'zod';

export const Timestamp = z.iso.datetime({ offset: true });

/** A timestamp with any offset, as the UTC form keys are stored in (`…Z`, milliseconds), so it compares as text. */
export const utcIso = (time: string | undefined) => (time === undefined ? undefined : new Date(time).toISOString());

/** How far ahead of the server's clock a device's measurement time may be (clock skew). */
export const MAX_FUTURE_SKEW_SECONDS = 300;

/** A measurement time: any time in the past, or at most a clock skew ahead. */
// A time from the future would open alerts that never age out of "current".
// A malformed time is already refused by the format; only a well-formed one is checked for the future.
export const MeasuredAt = Timestamp.refine((at) => !(Date.parse(at) > Date.now() + MAX_FUTURE_SKEW_SECONDS * 1000), {
  message: `must not be more than ${MAX_FUTURE_SKEW_SECONDS / 60} minutes in the future`,
});
