// cognito-local as a child process, behind the twin's shim (cognito-shim.ts) which is what
// clients talk to. cognito-local keeps its config and data in `.cognito` under its working
// directory, so it runs with cwd = the data folder. Its tokens are issued under the issuer
// name of a real user pool in the twin's region (https://cognito-idp.<region>.amazonaws.com/
// <pool>), the one name the token verifier trusts; the twin answers for that issuer's keys.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type ManagedProcess, spawnManaged, waitUntilReady } from '../child-processes.ts';
import { freePort } from '../free-port.ts';
import { createCognitoShim } from './cognito-shim.ts';

export interface CognitoLocal {
  /** Where clients (the SDK, the twin) reach the user pool: the shim. */
  readonly endpoint: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

export interface CognitoLocalOptions {
  readonly port: number;
  /** cognito-local writes `<cwd>/.cognito`. */
  readonly cwd: string;
  /** The domain of the issuer its tokens carry: https://cognito-idp.<region>.amazonaws.com. */
  readonly issuerDomain: string;
  readonly logFile?: string;
}

const require = createRequire(import.meta.url);

/** Sets cognito-local's issuer domain in its config file, keeping whatever else is there. */
async function configureIssuer(cwd: string, issuerDomain: string): Promise<void> {
  const directory = join(cwd, '.cognito');
  await mkdir(directory, { recursive: true });
  const file = join(directory, 'config.json');
  const existing = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as Record<string, unknown>,
    () => ({}),
  );
  await writeFile(file, `${JSON.stringify({ ...existing, TokenConfig: { IssuerDomain: issuerDomain } }, null, 2)}\n`);
}

export async function startCognitoLocal(options: CognitoLocalOptions): Promise<CognitoLocal> {
  await configureIssuer(options.cwd, options.issuerDomain);
  const bin = join(dirname(require.resolve('cognito-local')), 'bin', 'start.js');
  const internalPort = await freePort();
  const managed = spawnManaged({
    name: 'cognito-local',
    command: process.execPath,
    args: [bin],
    cwd: options.cwd,
    env: { ...process.env, PORT: String(internalPort), HOST: '127.0.0.1', DEBUG: '' },
    ...(options.logFile === undefined ? {} : { logFile: options.logFile }),
  });
  const upstream = `http://127.0.0.1:${internalPort}`;
  let shim: Server | undefined;
  try {
    await waitUntilReady(managed, async () => (await fetch(`${upstream}/health`)).ok);
    shim = createServer(createCognitoShim({ upstream, dataDir: options.cwd }));
    await new Promise<void>((resolve, reject) => {
      shim?.once('error', reject);
      shim?.listen(options.port, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    shim?.close();
    await managed.stop();
    throw error;
  }
  const server = shim;
  return {
    endpoint: `http://localhost:${options.port}`,
    process: managed,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await managed.stop();
    },
  };
}
