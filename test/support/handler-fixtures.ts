// Fake handler modules from test/support/fixtures in place of catalog entries, so gateway
// tests do not depend on the real functions. They run in the twin's Lambda environments
// like any function.
import { join } from 'node:path';
import { type HandlerModuleResolver, repositoryHandlerModules } from '../../infra/local/lambda-runtime.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

/** `entries` maps a catalog entry (functions/x/handler.ts) to a fixture file name; other entries load the real function. */
export function fixtureHandlerModules(
  entries: Readonly<Record<string, string>>,
  fallback = repositoryHandlerModules,
): HandlerModuleResolver {
  const fixtures = new Map(Object.entries(entries));
  return (entry) => {
    const fixture = fixtures.get(entry);
    return fixture === undefined ? fallback(entry) : join(FIXTURES, fixture);
  };
}
