// cognito-local as a child process. It keeps its config and data in `.cognito` under its
// working directory, so the twin runs it with cwd = its data folder.
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { spawnManaged, waitUntilReady, type ManagedProcess } from '../child-processes.ts';

export interface CognitoLocal {
  readonly endpoint: string;
  /** Tokens carry `iss` = this + '/' + userPoolId. */
  readonly issuerDomain: string;
  readonly process: ManagedProcess;
}

export interface CognitoLocalOptions {
  readonly port: number;
  /** cognito-local writes `<cwd>/.cognito`. */
  readonly cwd: string;
  readonly logFile?: string;
}

const require = createRequire(import.meta.url);

export async function startCognitoLocal(options: CognitoLocalOptions): Promise<CognitoLocal> {
  await mkdir(options.cwd, { recursive: true });
  const bin = join(dirname(require.resolve('cognito-local')), 'bin', 'start.js');
  const host = 'localhost';
  const managed = spawnManaged({
    name: 'cognito-local',
    command: process.execPath,
    args: [bin],
    cwd: options.cwd,
    env: { ...process.env, PORT: String(options.port), HOST: host, DEBUG: '' },
    ...(options.logFile === undefined ? {} : { logFile: options.logFile }),
  });
  const endpoint = `http://${host}:${options.port}`;
  try {
    await waitUntilReady(managed, async () => (await fetch(`${endpoint}/health`)).ok);
  } catch (error) {
    await managed.stop();
    throw error;
  }
  return { endpoint, issuerDomain: endpoint, process: managed };
}
