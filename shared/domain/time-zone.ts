// A person's IANA time zone: daily roll-ups and reports use their own days.
import { z } from 'zod';

export const DEFAULT_TIME_ZONE = 'UTC';

const known = new Map<string, string | undefined>();

/** The zone's canonical IANA name, or undefined when the runtime's time-zone database does not know it. */
function canonicalZone(name: string): string | undefined {
  if (known.has(name)) return known.get(name);
  const canonical = lookUpZone(name);
  // Every profile read parses its zone: remember the answer (the zones in use are few).
  if (known.size < 1000) known.set(name, canonical);
  return canonical;
}

function lookUpZone(name: string): string | undefined {
  // Some runtimes' Intl also takes offsets ("+01:00"), which have no daylight-saving rules: only names.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export const TimeZone = z
  .string()
  .max(64)
  .transform((name, context) => {
    const canonical = canonicalZone(name);
    if (canonical === undefined) {
      context.addIssue({ code: 'custom', message: `"${name.slice(0, 64)}" is not an IANA time zone such as Europe/Berlin or UTC` });
      return z.NEVER;
    }
    return canonical;
  })
  .meta({ description: 'an IANA time zone name, e.g. Europe/Berlin or America/New_York', example: 'Europe/Berlin' });
