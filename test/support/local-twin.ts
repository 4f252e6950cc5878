// The whole local twin for e2e tests: free ports, a temp data dir, in-memory DynamoDB and
// SQS. Pass `loader` (see handler-fixtures.ts) to run fake handlers instead of functions/.
// Always `await twin.stop()` in afterAll.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { freePorts } from '../../infra/local/free-port.ts';
import { REPO_ROOT } from '../../infra/local/lambda-runtime.ts';
import { startTwin, type RunningTwin, type TwinOptions } from '../../infra/local/twin.ts';

export type LocalTwinOptions = Partial<Omit<TwinOptions, 'dataDir' | 'ports' | 'persist'>>;

export interface LocalTwin extends RunningTwin {
  readonly dataDir: string;
}

export async function startLocalTwin(options: LocalTwinOptions = {}): Promise<LocalTwin> {
  const tmpRoot = join(REPO_ROOT, '.vitest-tmp');
  await mkdir(tmpRoot, { recursive: true });
  const dataDir = await mkdtemp(join(tmpRoot, 'twin-'));
  const [http, ws, dynamoDb, sqs, cognito, services] = (await freePorts(6)) as [number, number, number, number, number, number];
  try {
    const twin = await startTwin({
      queueVisibilityTimeoutSeconds: 1,
      sqsWaitTimeSeconds: 1,
      ...options,
      dataDir,
      persist: false,
      ports: { http, ws, dynamoDb, sqs, cognito, services },
    });
    return {
      ...twin,
      dataDir,
      async stop() {
        await twin.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
