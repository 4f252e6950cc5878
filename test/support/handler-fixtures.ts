// Loads fake handler modules from test/support/fixtures in place of catalog entries, so
// gateway tests do not depend on the real functions.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HandlerLoader, LambdaHandler } from '../../infra/local/lambda-runtime.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

/** `entries` maps a catalog entry (functions/x/handler.ts) to a fixture file name. */
export function fixtureHandlerLoader(entries: Readonly<Record<string, string>>, fallback?: HandlerLoader): HandlerLoader {
  return async (entry) => {
    const fixture = entries[entry];
    if (fixture === undefined) {
      if (fallback !== undefined) return fallback(entry);
      throw new Error(`no fixture for ${entry}`);
    }
    const module = (await import(pathToFileURL(join(FIXTURES, fixture)).href)) as { handler: LambdaHandler };
    return module.handler;
  };
}
