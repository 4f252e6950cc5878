// The whole local twin: emulators, resources, both gateways and the SQS event source.
// `npm start` (start.ts) and the e2e harness (test/support) both start it through here.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  HTTP_FUNCTIONS,
  QUEUE_FUNCTIONS,
  WEBSOCKET_FUNCTIONS,
  WEBSOCKET_ROUTES,
  WEBSOCKET_ROUTE_SELECTION_FIELD,
} from '../../shared/api/function-catalog.ts';
import { ROUTES } from '../../shared/api/routes.ts';
import { ECG_QUEUE } from '../../shared/messaging/queue-definitions.ts';
import { accessTokenVerifierFromEnv } from '../../shared/auth/token-verifier.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from './services/dynamodb-local.ts';
import { startSqsEmulator, type SqsEmulator } from './services/sqs-emulator.ts';
import { startCognitoLocal, type CognitoLocal } from './services/cognito-local.ts';
import { ensureEcgQueues, ensureTable, ensureUserPool, type ProvisionedQueues, type ProvisionedUserPool } from './provision.ts';
import { handlerEnvironment } from './handler-environment.ts';
import { moduleHandlerLoader, type HandlerLoader } from './lambda-runtime.ts';
import { createHttpGateway } from './http-gateway.ts';
import { createWebSocketGateway, type WebSocketGateway } from './websocket-gateway.ts';
import { startSqsEventSource, type SqsEventSource } from './sqs-event-source.ts';

export interface TwinPorts {
  readonly http: number;
  readonly ws: number;
  readonly dynamoDb: number;
  readonly sqs: number;
  readonly cognito: number;
}

export interface TwinOptions {
  /** Holds state.json, cognito-local's .cognito folder, logs and (when persisting) data. */
  readonly dataDir: string;
  readonly ports: TwinPorts;
  /** Keep DynamoDB and SQS data on disk under dataDir (npm start) or in memory (tests). */
  readonly persist: boolean;
  readonly tableName?: string;
  readonly loader?: HandlerLoader;
  readonly httpIntegrationTimeoutMs?: number;
  readonly maxRequestBodyBytes?: number;
  readonly wsIdleTimeoutMs?: number;
  readonly wsMaxConnectionMs?: number;
  /** Local stand-in for the queue's six-minute visibility timeout, so retries come quickly. */
  readonly queueVisibilityTimeoutSeconds?: number;
  readonly sqsWaitTimeSeconds?: number;
  readonly log?: (message: string) => void;
}

export interface LocalState extends ProvisionedUserPool {
  readonly tableName: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly dynamoDbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly cognitoEndpoint: string;
  readonly region: string;
}

export interface RunningTwin {
  readonly httpUrl: string;
  readonly wsUrl: string;
  /** What handlers use as VIGIL_WS_MANAGEMENT_ENDPOINT. */
  readonly managementEndpoint: string;
  readonly issuer: string;
  readonly state: LocalState;
  readonly queues: ProvisionedQueues;
  readonly env: Readonly<Record<string, string>>;
  readonly webSocketGateway: WebSocketGateway;
  stop(): Promise<void>;
}

export const DEFAULT_TABLE_NAME = 'vigil-local';

export const stateFile = (dataDir: string) => join(dataDir, 'state.json');

export async function readLocalState(dataDir: string): Promise<LocalState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(dataDir), 'utf8')) as LocalState;
  } catch {
    return undefined;
  }
}

export async function startTwin(options: TwinOptions): Promise<RunningTwin> {
  const log = options.log ?? ((message: string) => console.error(message));
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  const logDir = join(options.dataDir, 'logs');
  await mkdir(logDir, { recursive: true });
  await assertPortsFree(options.ports);

  const stoppers: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch((error: unknown) => log(`stop failed: ${String(error)}`));
    stoppers.length = 0;
  };

  try {
    // The three emulators start in parallel; Java's start-up dominates.
    const [dynamo, sqs, cognito] = await Promise.all([
      startDynamoDbLocal({
        port: options.ports.dynamoDb,
        ...(options.persist ? { dbPath: await mkdirp(join(options.dataDir, 'dynamodb')) } : {}),
        logFile: join(logDir, 'dynamodb.log'),
      }).then(track<DynamoDbLocal>((s) => s.process.stop())),
      startSqsEmulator({
        port: options.ports.sqs,
        ...(options.persist ? { dataDir: join(options.dataDir, 'sqs') } : {}),
      }).then(track<SqsEmulator>((s) => s.stop())),
      startCognitoLocal({ port: options.ports.cognito, cwd: options.dataDir, logFile: join(logDir, 'cognito-local.log') }).then(
        track<CognitoLocal>((s) => s.process.stop()),
      ),
    ]);

    const previous = await readLocalState(options.dataDir);
    const [, queues, pool] = await Promise.all([
      ensureTable(dynamo.endpoint, tableName),
      ensureEcgQueues(sqs.endpoint, options.queueVisibilityTimeoutSeconds ?? 5),
      ensureUserPool(cognito.endpoint, previous),
    ]);
    const state: LocalState = {
      userPoolId: pool.userPoolId,
      userPoolClientId: pool.userPoolClientId,
      tableName,
      queueUrl: queues.queueUrl,
      deadLetterQueueUrl: queues.deadLetterQueueUrl,
      dynamoDbEndpoint: dynamo.endpoint,
      sqsEndpoint: sqs.endpoint,
      cognitoEndpoint: cognito.endpoint,
      region: 'us-east-1',
    };
    await writeFile(stateFile(options.dataDir), `${JSON.stringify(state, null, 2)}\n`);

    const managementEndpoint = `http://localhost:${options.ports.ws}`;
    const issuer = `${cognito.issuerDomain}/${pool.userPoolId}`;
    const env = handlerEnvironment({
      tableName,
      ecgQueueUrl: queues.queueUrl,
      userPoolId: pool.userPoolId,
      userPoolClientId: pool.userPoolClientId,
      wsManagementEndpoint: managementEndpoint,
      localIssuer: issuer,
      dynamoDbEndpoint: dynamo.endpoint,
      sqsEndpoint: sqs.endpoint,
      cognitoEndpoint: cognito.endpoint,
    });
    // Handlers read configuration from process.env, so it is set before any of them loads.
    Object.assign(process.env, env);
    delete process.env['AWS_SESSION_TOKEN'];
    delete process.env['AWS_PROFILE'];

    const loader = options.loader ?? moduleHandlerLoader();
    const httpServer = createServer(
      createHttpGateway({
        routes: ROUTES,
        functions: HTTP_FUNCTIONS,
        loader,
        // API Gateway's Cognito JWT authorizer lets ID tokens through too; the handlers refuse them.
        verifier: accessTokenVerifierFromEnv(env, ['access', 'id']),
        log,
        ...(options.httpIntegrationTimeoutMs === undefined ? {} : { integrationTimeoutMs: options.httpIntegrationTimeoutMs }),
        ...(options.maxRequestBodyBytes === undefined ? {} : { maxRequestBodyBytes: options.maxRequestBodyBytes }),
      }),
    );
    await listen(httpServer, options.ports.http);
    stoppers.push(() => closeServer(httpServer));

    const webSocketGateway = createWebSocketGateway({
      routes: WEBSOCKET_ROUTES,
      functions: WEBSOCKET_FUNCTIONS,
      authorizerFunction: 'wsAuthorizer',
      routeSelectionField: WEBSOCKET_ROUTE_SELECTION_FIELD,
      loader,
      log,
      ...(options.wsIdleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.wsIdleTimeoutMs }),
      ...(options.wsMaxConnectionMs === undefined ? {} : { maxConnectionMs: options.wsMaxConnectionMs }),
    });
    await listen(webSocketGateway.server, options.ports.ws);
    stoppers.push(() => webSocketGateway.close());

    const analyzer = QUEUE_FUNCTIONS.ecgAnalyzer;
    const eventSource: SqsEventSource = startSqsEventSource({
      endpoint: sqs.endpoint,
      queueUrl: queues.queueUrl,
      queueArn: queues.queueArn,
      batchSize: ECG_QUEUE.batchSize,
      fn: { name: 'ecgAnalyzer', entry: analyzer.entry, timeoutMs: analyzer.timeoutSeconds * 1000, memoryMb: analyzer.memoryMb },
      loader,
      log,
      ...(options.sqsWaitTimeSeconds === undefined ? {} : { waitTimeSeconds: options.sqsWaitTimeSeconds }),
    });
    stoppers.push(() => eventSource.stop());

    return {
      httpUrl: `http://localhost:${options.ports.http}`,
      wsUrl: `ws://localhost:${options.ports.ws}`,
      managementEndpoint,
      issuer,
      state,
      queues,
      env,
      webSocketGateway,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }

  function track<T>(stop: (service: T) => Promise<void>) {
    return (service: T): T => {
      stoppers.push(() => stop(service));
      return service;
    };
  }
}

async function mkdirp(path: string): Promise<string> {
  await mkdir(path, { recursive: true });
  return path;
}

async function listen(server: Server, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: the twin trusts cognito-local's published signing key, so nothing off
    // this machine may reach it. Clients asking for `localhost` fall back to IPv4.
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Fails fast with the port's name, rather than letting an emulator die obscurely. */
async function assertPortsFree(ports: TwinPorts): Promise<void> {
  const busy: string[] = [];
  await Promise.all(
    Object.entries(ports).map(async ([name, port]) => {
      if (!(await portIsFree(port))) busy.push(`${name} (${port})`);
    }),
  );
  if (busy.length > 0) throw new Error(`ports already in use: ${busy.join(', ')}`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}
