import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_FUNCTIONS } from '../../shared/api/function-catalog.ts';
import { synthesizeVigil, type FunctionName, type SynthesizedVigil } from './synthesized-stack.ts';

// The one suite that bundles: every handler must build with the local esbuild into the
// shape the nodejs24.x runtime loads (index.mjs exporting `handler`).
let vigil: SynthesizedVigil;
beforeAll(() => {
  vigil = synthesizeVigil({ bundle: true });
});

const ALL = Object.keys(ALL_FUNCTIONS) as FunctionName[];

function assetDir(name: FunctionName): string {
  const key = (vigil.functionProperties(name).Code as { S3Key: string }).S3Key;
  return join(vigil.outdir, `asset.${key.replace(/\.zip$/, '')}`);
}

describe('bundles', () => {
  it.each(ALL)('%s is an ESM bundle that exports handler and can require()', (name) => {
    const code = readFileSync(join(assetDir(name), 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);")).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
  });

  it.each(ALL)('%s ships a source map and turns source maps on', (name) => {
    expect(existsSync(join(assetDir(name), 'index.mjs.map'))).toBe(true);
    expect(vigil.environmentOf(name).NODE_OPTIONS).toBe('--enable-source-maps');
  });

  // Trust in the local emulator's published signing key belongs to the twin alone: no bundle
  // reads a local-issuer setting or knows the emulator's key id.
  it.each(ALL)('%s carries no local-only trust path', (name) => {
    const code = readFileSync(join(assetDir(name), 'index.mjs'), 'utf8');
    for (const localOnly of ['VIGIL_LOCAL', 'CognitoLocal']) expect(code).not.toContain(localOnly);
  });
});
