// Layers point one way: functions → services → domain, with data, http, auth, realtime and
// messaging as adapters the services use, and infra beside them all. The rules are data; each
// file's imports are read from its source, and an import against the layering fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../infra/local/lambda-runtime.ts';

interface Layer {
  /** Folders of the layer, relative to the repository. */
  readonly folders: readonly string[];
  /** Folders its modules may import from (their own layer always). */
  readonly may: readonly string[];
  /** Packages it may import; `node:` builtins are allowed everywhere but the domain. */
  readonly packages: readonly (string | RegExp)[];
}

const AWS_SDK = /^@aws-sdk\//;
const LAYERS: Record<string, Layer> = {
  domain: { folders: ['shared/domain'], may: ['shared/ecg'], packages: ['zod'] },
  ecg: { folders: ['shared/ecg'], may: [], packages: [] },
  config: { folders: ['shared/config'], may: [], packages: [] },
  audit: { folders: ['shared/audit'], may: ['shared/domain'], packages: [] },
  api: { folders: ['shared/api'], may: ['shared/domain', 'shared/ecg'], packages: ['zod'] },
  data: { folders: ['shared/data'], may: ['shared/domain', 'shared/config'], packages: [AWS_SDK, 'zod'] },
  auth: { folders: ['shared/auth'], may: ['shared/domain', 'shared/config'], packages: [AWS_SDK, /^aws-jwt-verify/] },
  messaging: { folders: ['shared/messaging'], may: ['shared/domain', 'shared/config'], packages: [AWS_SDK, 'zod'] },
  realtime: {
    folders: ['shared/realtime'],
    may: ['shared/domain', 'shared/config', 'shared/data', 'shared/api'],
    packages: [AWS_SDK, '@aws-lambda-powertools/logger'],
  },
  http: {
    folders: ['shared/http'],
    may: ['shared/domain', 'shared/api', 'shared/auth', 'shared/audit'],
    packages: ['@middy/core', /^@aws-lambda-powertools\/logger/, 'aws-lambda', 'zod'],
  },
  services: {
    folders: ['shared/services'],
    may: [
      'shared/domain',
      'shared/ecg',
      'shared/api',
      'shared/config',
      'shared/data',
      'shared/auth',
      'shared/realtime',
      'shared/messaging',
      'shared/audit',
    ],
    packages: ['@aws-lambda-powertools/logger'],
  },
  functions: {
    folders: ['functions'],
    may: ['shared', 'package.json'],
    packages: [/^@aws-lambda-powertools\//, 'aws-lambda', 'zod'],
  },
  infra: {
    folders: ['infra'],
    may: ['shared', 'package.json'],
    packages: [/^aws-cdk-lib/, 'constructs', 'cdk-nag', AWS_SDK, /^aws-jwt-verify/, 'ws', 'zod', 'fauxqs', 'aws-lambda'],
  },
};

function sourceFiles(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)));
}

/** Every module a source imports or re-exports, statically or dynamically. */
function importsOf(source: string): string[] {
  const specifiers = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)];
  return specifiers.map((match) => (match[1] ?? match[2]) as string);
}

function layerOf(file: string): [string, Layer] | undefined {
  return Object.entries(LAYERS).find(([, layer]) => layer.folders.some((folder) => file.startsWith(`${folder}/`)));
}

function violations(file: string, source = readFileSync(join(REPO_ROOT, file), 'utf8')): string[] {
  const found = layerOf(file);
  if (found === undefined) return [];
  const [name, layer] = found;
  const problems: string[] = [];
  for (const specifier of importsOf(source)) {
    if (specifier.startsWith('.')) {
      const target = relative(REPO_ROOT, join(dirname(join(REPO_ROOT, file)), specifier));
      if (target.startsWith('test/')) problems.push(`${file} imports ${target}: production code never imports from test/`);
      else if (![...layer.folders, ...layer.may].some((allowed) => target === allowed || target.startsWith(`${allowed}/`)))
        problems.push(`${file} (${name}) imports ${target}`);
    } else if (specifier.startsWith('node:')) {
      if (name === 'domain') problems.push(`${file} (domain) imports ${specifier}`);
    } else if (
      !layer.packages.some((allowed) =>
        typeof allowed === 'string' ? specifier === allowed || specifier.startsWith(`${allowed}/`) : allowed.test(specifier),
      )
    ) {
      problems.push(`${file} (${name}) imports package ${specifier}`);
    }
  }
  return problems;
}

const FILES = ['shared', 'functions', 'infra'].flatMap(sourceFiles);

describe('layers', () => {
  it('every production module belongs to a layer', () => {
    expect(FILES.filter((file) => layerOf(file) === undefined)).toEqual([]);
  });

  it.each(Object.keys(LAYERS))('the %s layer imports only what it may', (name) => {
    const files = FILES.filter((file) => layerOf(file)?.[0] === name);
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap((file) => violations(file))).toEqual([]);
  });

  it.each([
    {
      what: 'a domain module importing the data layer',
      file: 'shared/domain/x.ts',
      source: "import { getUser } from '../data/user-store.ts';",
    },
    {
      what: 'a domain module importing the AWS SDK',
      file: 'shared/domain/x.ts',
      source: "import { GetCommand } from '@aws-sdk/lib-dynamodb';",
    },
    {
      what: 'a service importing the HTTP plumbing',
      file: 'shared/services/x.ts',
      source: "import { problemOf } from '../http/errors.ts';",
    },
    { what: 'a script importing a test helper', file: 'infra/scripts/x.ts', source: "import { x } from '../../test/support/y.ts';" },
    {
      what: 'a dynamic import of the data layer from the ECG engine',
      file: 'shared/ecg/x.ts',
      source: "await import('../data/ecg-store.ts');",
    },
  ])('finds $what', ({ file, source }) => {
    expect(violations(file, source)).toHaveLength(1);
  });
});
