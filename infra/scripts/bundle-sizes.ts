// Prints the size of each Lambda bundle as synthesized into cdk.out, largest first, so a
// dependency that drags half the SDK into a function shows up in review.
//
//   npm run bundle-sizes              synthesizes the app into cdk.out, then measures
//   npm run bundle-sizes -- --no-synth  measures what is already in cdk.out
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { HTTP_FUNCTIONS, QUEUE_FUNCTIONS, WEBSOCKET_FUNCTIONS } from '../../shared/api/function-catalog.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'cdk.out');

interface TemplateResource {
  Type: string;
  Properties: { Description?: string; Code?: { S3Key?: string } };
}

if (!process.argv.includes('--no-synth')) {
  // The app synthesizes itself when CDK_OUTDIR is set, exactly as under `cdk synth`.
  const result = spawnSync(process.execPath, [join(ROOT, 'infra/app.ts')], {
    cwd: ROOT,
    env: { ...process.env, CDK_OUTDIR: OUT },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
if (!existsSync(OUT)) {
  console.error('cdk.out does not exist: run without --no-synth, or `npx cdk synth` first');
  process.exit(1);
}

// Catalog descriptions are unique, so they name each function in the template.
const catalog = { ...HTTP_FUNCTIONS, ...WEBSOCKET_FUNCTIONS, ...QUEUE_FUNCTIONS };
const nameByDescription = new Map<string, string>(Object.entries(catalog).map(([name, d]) => [d.description, name]));

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`.padStart(11);
const rows: { name: string; bundle: number; gzipped: number; sourceMap: number }[] = [];

for (const file of readdirSync(OUT).filter((f) => f.endsWith('.template.json'))) {
  const template = JSON.parse(readFileSync(join(OUT, file), 'utf8')) as { Resources: Record<string, TemplateResource> };
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const key = resource.Properties.Code?.S3Key;
    if (resource.Type !== 'AWS::Lambda::Function' || typeof key !== 'string') continue;
    // Asset staging directories are named after the asset hash, which is the S3 key minus .zip.
    const dir = join(OUT, `asset.${key.replace(/\.zip$/, '')}`);
    const files = existsSync(dir) ? readdirSync(dir) : [];
    const code = files.filter((f) => f.endsWith('.mjs') || f.endsWith('.js'));
    const maps = files.filter((f) => f.endsWith('.map'));
    rows.push({
      name: nameByDescription.get(resource.Properties.Description ?? '') ?? logicalId,
      bundle: code.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0),
      gzipped: code.reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f))).length, 0),
      sourceMap: maps.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0),
    });
  }
}

rows.sort((a, b) => b.bundle - a.bundle);
console.log(`${'function'.padEnd(16)}${'bundle'.padStart(11)}${'gzipped'.padStart(11)}${'source map'.padStart(11)}`);
for (const row of rows) console.log(`${row.name.padEnd(16)}${kb(row.bundle)}${kb(row.gzipped)}${kb(row.sourceMap)}`);
