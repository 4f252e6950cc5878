// Integration-test services: DynamoDB Local (in memory), fauxqs (library mode) and
// cognito-local (in a temp dir), each on a free port, with the table, the ECG queues and
// the user pool created from the project's definitions. Always `await services.stop()`
// in afterAll.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../infra/local/free-port.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/services/dynamodb-local.ts';
import { startSqsEmulator, type SqsEmulator } from '../../infra/local/services/sqs-emulator.ts';
import { startCognitoLocal, type CognitoLocal } from '../../infra/local/services/cognito-local.ts';
import {
  ensureEcgQueues,
  ensureTable,
  ensureUserPool,
  type ProvisionedQueues,
  type ProvisionedUserPool,
} from '../../infra/local/provision.ts';
import { cognitoIssuerDomain } from '../../shared/auth/user-pool-definition.ts';
import { ENV } from '../../shared/config/env.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, platformEnvironment } from '../../infra/local/local-aws.ts';

export interface LocalServicesOptions {
  /** Start only what a suite needs; everything by default. */
  readonly dynamoDb?: boolean;
  readonly sqs?: boolean;
  readonly cognito?: boolean;
  readonly tableName?: string;
  /** Short by default so failed messages come back within a second in tests. */
  readonly queueVisibilityTimeoutSeconds?: number;
}

export interface LocalServices {
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly dynamoDb?: { readonly endpoint: string; readonly tableName: string };
  readonly sqs?: { readonly endpoint: string; readonly queues: ProvisionedQueues; readonly server: SqsEmulator['server'] };
  readonly cognito?: { readonly endpoint: string } & ProvisionedUserPool;
  /** cognito-local's working directory (its .cognito folder). */
  readonly cognitoDataDir?: string;
  /**
   * The variables handlers read (ENV names, AWS_ENDPOINT_URL_*, region, dummy credentials)
   * for the services that were started. Assign to process.env before importing code that
   * creates clients at module scope.
   */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export async function startLocalServices(options: LocalServicesOptions = {}): Promise<LocalServices> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
  };
  try {
    const tableName = options.tableName ?? 'vigil-test';
    const [dynamo, sqs, cognito] = await Promise.all([
      options.dynamoDb === false
        ? undefined
        : freePort()
            .then((port) => startDynamoDbLocal({ port }))
            .then((s: DynamoDbLocal) => {
              stops.push(() => s.process.stop());
              return s;
            }),
      options.sqs === false
        ? undefined
        : startSqsEmulator({ port: 0 }).then((s: SqsEmulator) => {
            stops.push(() => s.stop());
            return s;
          }),
      options.cognito === false
        ? undefined
        : (async () => {
            const cwd = await mkdtemp(join(tmpdir(), 'vigil-cognito-'));
            stops.push(() => rm(cwd, { recursive: true, force: true }));
            const s: CognitoLocal = await startCognitoLocal({
              port: await freePort(),
              cwd,
              issuerDomain: cognitoIssuerDomain(LOCAL_REGION),
            });
            stops.push(() => s.stop());
            return { service: s, cwd };
          })(),
    ]);
    const [, queues, pool] = await Promise.all([
      dynamo === undefined ? undefined : ensureTable(dynamo.endpoint, tableName),
      sqs === undefined ? undefined : ensureEcgQueues(sqs.endpoint, options.queueVisibilityTimeoutSeconds ?? 1),
      cognito === undefined ? undefined : ensureUserPool(cognito.service.endpoint),
    ]);

    const env: Record<string, string> = {
      ...platformEnvironment({
        ...(dynamo === undefined ? {} : { dynamoDb: dynamo.endpoint }),
        ...(sqs === undefined ? {} : { sqs: sqs.endpoint }),
        ...(cognito === undefined ? {} : { cognito: cognito.service.endpoint }),
      }),
      ...(dynamo === undefined ? {} : { [ENV.tableName]: tableName }),
      ...(queues === undefined ? {} : { [ENV.ecgQueueUrl]: queues.queueUrl }),
      ...(pool === undefined ? {} : { [ENV.userPoolId]: pool.userPoolId, [ENV.userPoolClientId]: pool.userPoolClientId }),
    };

    return {
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      ...(dynamo === undefined ? {} : { dynamoDb: { endpoint: dynamo.endpoint, tableName } }),
      ...(sqs === undefined || queues === undefined ? {} : { sqs: { endpoint: sqs.endpoint, queues, server: sqs.server } }),
      ...(cognito === undefined || pool === undefined
        ? {}
        : { cognito: { endpoint: cognito.service.endpoint, ...pool }, cognitoDataDir: cognito.cwd }),
      env,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
