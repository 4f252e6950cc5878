// The whole local twin: emulators, resources, the Lambda runtime, the local Scheduler, SES
// and SNS, both gateways, the SQS event source and the schedules. `npm start` (start.ts) and
// the e2e harness (test/support) both start it through here.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import {
  ALL_FUNCTIONS,
  ESCALATOR_FUNCTION,
  type FunctionName,
  HTTP_FUNCTIONS,
  QUEUE_FUNCTIONS,
  SCHEDULED_FUNCTIONS,
  WEBSOCKET_FUNCTIONS,
  WEBSOCKET_ROUTE_SELECTION_FIELD,
  WEBSOCKET_ROUTES,
} from '../../shared/api/function-catalog.ts';
import { ROUTES } from '../../shared/api/routes.ts';
import { createTokenVerifier } from '../../shared/auth/token-verifier.ts';
import { cognitoIssuerDomain } from '../../shared/auth/user-pool-definition.ts';
import { DEFAULT_ECG_RETENTION_DAYS, DEFAULT_RECORDING_IDLE_SECONDS } from '../../shared/config/env.ts';
import { ECG_QUEUE } from '../../shared/messaging/queue-definitions.ts';
import { corsPolicy, LOCAL_DEFAULT_CORS_ORIGINS } from '../cors-policy.ts';
import { functionEnvironment } from '../function-environment.ts';
import { createHttpGateway } from './http-gateway.ts';
import { createLambdaRuntime, functionToInvoke, type HandlerModuleResolver } from './lambda-runtime.ts';
import { forgetProcesses, processesListeningOn, recordProcesses, stopLeftoverProcesses } from './leftover-processes.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, platformEnvironment } from './local-aws.ts';
import { localJwksCache } from './local-jwks.ts';
import { ensureEcgQueues, ensureTable, ensureUserPool, type ProvisionedQueues, type ProvisionedUserPool } from './provision.ts';
import { startScheduler } from './scheduler.ts';
import { type CognitoLocal, startCognitoLocal } from './services/cognito-local.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from './services/dynamodb-local.ts';
import { localAwsServicesEndpoint, startLocalAwsServices } from './services/local-aws-services.ts';
import { type SqsEmulator, startSqsEmulator } from './services/sqs-emulator.ts';
import { type SqsEventSource, startSqsEventSource } from './sqs-event-source.ts';
import { createWebSocketGateway, type WebSocketGateway } from './websocket-gateway.ts';

export interface TwinPorts {
  readonly http: number;
  readonly ws: number;
  readonly dynamoDb: number;
  readonly sqs: number;
  readonly cognito: number;
  /** EventBridge Scheduler, SES v2 and SNS, all on one port. */
  readonly services: number;
}

export interface TwinOptions {
  /** Holds state.json, cognito-local's .cognito folder, logs and (when persisting) data. */
  readonly dataDir: string;
  readonly ports: TwinPorts;
  /** Keep DynamoDB and SQS data on disk under dataDir (npm start) or in memory (tests). */
  readonly persist: boolean;
  readonly tableName?: string;
  /** Where each function's handler is loaded from; tests put fixtures in place of functions/. */
  readonly handlerModules?: HandlerModuleResolver;
  /** Browser origins the HTTP API answers CORS for; `http://localhost:*` unless given, none when empty. */
  readonly corsOrigins?: readonly string[];
  readonly ecgRetentionDays?: number;
  readonly recordingIdleSeconds?: number;
  /** How often scheduled functions run; each one's catalog interval unless given. */
  readonly scheduleIntervalMs?: number;
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
  /** What functions use as VIGIL_WS_MANAGEMENT_ENDPOINT. */
  readonly managementEndpoint: string;
  /** What functions use as AWS_ENDPOINT_URL_SCHEDULER, _SESV2 and _SNS. */
  readonly servicesEndpoint: string;
  /** The JSON lines of every email, SMS and push the functions sent (see outbox-emulator.ts). */
  readonly outboxFile: string;
  readonly state: LocalState;
  readonly queues: ProvisionedQueues;
  /** The environment each function runs with (its own variables, region, credentials, endpoints). */
  environmentOf(name: FunctionName): Readonly<Record<string, string>>;
  readonly webSocketGateway: WebSocketGateway;
  stop(): Promise<void>;
}

export const DEFAULT_TABLE_NAME = 'vigil-local';

const LOCAL_ESCALATION_GROUP = 'vigil-local-escalations';
const LOCAL_ALERT_EMAIL_FROM = 'alerts@vigil.local';
/** The local SNS takes any platform application: these stand for a deployment's APNs and FCM ones. */
const LOCAL_PUSH_APPLICATIONS = {
  apns: `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:app/APNS/vigil-local`,
  fcm: `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:app/GCM/vigil-local`,
};
const localFunctionArn = (name: string) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${name}`;

/** Not a secret: it only signs paging cursors of a laptop's throwaway data. */
const LOCAL_CURSOR_SECRET = 'vigil-local-cursor-secret-not-for-production';

/** Host settings that reach every function, as a deployment's log settings would. */
const PASSED_THROUGH = ['POWERTOOLS_LOG_LEVEL', 'AWS_LAMBDA_LOG_LEVEL', 'POWERTOOLS_DEV'] as const;

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
  const leftovers = await stopLeftoverProcesses(options.dataDir);
  if (leftovers.length > 0) log(`stopped emulators a previous run left behind: ${leftovers.join(', ')}`);
  await assertPortsFree(options.ports);

  const stoppers: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch((error: unknown) => log(`stop failed: ${String(error)}`));
    stoppers.length = 0;
  };

  try {
    stoppers.push(() => forgetProcesses(options.dataDir));
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
      startCognitoLocal({
        port: options.ports.cognito,
        cwd: options.dataDir,
        issuerDomain: cognitoIssuerDomain(LOCAL_REGION),
        logFile: join(logDir, 'cognito-local.log'),
      }).then(track<CognitoLocal>((s) => s.stop())),
    ]);
    await recordProcesses(options.dataDir, [
      { name: 'DynamoDB Local', pid: dynamo.process.child.pid ?? -1, commandMarker: 'DynamoDBLocal.jar' },
      { name: 'cognito-local', pid: cognito.process.child.pid ?? -1, commandMarker: 'cognito-local' },
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
      region: LOCAL_REGION,
    };
    await writeFile(stateFile(options.dataDir), `${JSON.stringify(state, null, 2)}\n`);

    const managementEndpoint = `http://localhost:${options.ports.ws}`;
    // Known before its server starts, which waits for the Lambda runtime it invokes.
    const servicesEndpoint = localAwsServicesEndpoint(options.ports.services);
    // What any Lambda gets from its platform: region, credentials, and here the endpoints of
    // the emulators standing in for the AWS services.
    const platform: Record<string, string> = {
      ...platformEnvironment({
        dynamoDb: dynamo.endpoint,
        sqs: sqs.endpoint,
        cognito: cognito.endpoint,
        scheduler: servicesEndpoint,
        sesv2: servicesEndpoint,
        sns: servicesEndpoint,
      }),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    };
    for (const name of PASSED_THROUGH) {
      const value = process.env[name];
      if (value !== undefined) platform[name] = value;
    }
    const sources = {
      tableName: () => tableName,
      userPool: () => pool,
      ecgQueueUrl: () => queues.queueUrl,
      ecgRetentionDays: () => String(options.ecgRetentionDays ?? DEFAULT_ECG_RETENTION_DAYS),
      wsManagementEndpoint: () => managementEndpoint,
      cursorSecret: () => LOCAL_CURSOR_SECRET,
      recordingIdleSeconds: () => String(options.recordingIdleSeconds ?? DEFAULT_RECORDING_IDLE_SECONDS),
      escalationSchedules: () => ({
        groupName: LOCAL_ESCALATION_GROUP,
        escalatorArn: localFunctionArn(ESCALATOR_FUNCTION),
        roleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/vigil-local-escalation-scheduler`,
      }),
      alertEmailFrom: () => LOCAL_ALERT_EMAIL_FROM,
      pushApplications: () => JSON.stringify(LOCAL_PUSH_APPLICATIONS),
    };
    const environments = new Map<string, Record<string, string>>(
      Object.entries(ALL_FUNCTIONS).map(([name, definition]) => [
        name,
        { ...platform, ...(functionEnvironment(definition, sources) as Record<string, string>) },
      ]),
    );
    const environmentOf = (name: string): Record<string, string> => {
      const environment = environments.get(name);
      if (environment === undefined) throw new Error(`no function ${name} in the catalog`);
      return environment;
    };

    const runtime = createLambdaRuntime({
      environmentOf,
      cognitoEndpoint: cognito.endpoint,
      ...(options.handlerModules === undefined ? {} : { resolveModule: options.handlerModules }),
    });
    stoppers.push(() => runtime.stop());
    const invoke = runtime.invoke;

    // Up before the gateways, so the first function that schedules or sends finds it.
    const outboxFile = join(options.dataDir, 'outbox.jsonl');
    const awsServices = await startLocalAwsServices({
      port: options.ports.services,
      outboxFile,
      ...(options.persist ? { schedulesFile: join(options.dataDir, 'schedules.json') } : {}),
      knowsFunction: (name) => catalogName(name) !== undefined,
      invoke: async (name, event) => {
        const catalogKey = catalogName(name);
        if (catalogKey === undefined) throw new Error(`no function ${name} in the catalog`);
        const outcome = await invoke(functionToInvoke(catalogKey, ALL_FUNCTIONS[catalogKey]), event);
        if (outcome.kind === 'error') throw outcome.error;
        if (outcome.kind === 'timeout') throw new Error('timed out');
      },
      log,
    });
    stoppers.push(() => awsServices.stop());

    const cors = corsPolicy(options.corsOrigins ?? LOCAL_DEFAULT_CORS_ORIGINS);
    const httpServer = createServer(
      createHttpGateway({
        routes: ROUTES,
        functions: HTTP_FUNCTIONS,
        invoke,
        // API Gateway's Cognito JWT authorizer lets ID tokens through too; the handlers refuse them.
        verifier: createTokenVerifier(
          { region: LOCAL_REGION, userPoolId: pool.userPoolId, clientId: pool.userPoolClientId, tokenUses: ['access', 'id'] },
          { jwksCache: localJwksCache(cognito.endpoint) },
        ),
        ...(cors === undefined ? {} : { cors }),
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
      invoke,
      log,
      ...(options.wsIdleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.wsIdleTimeoutMs }),
      ...(options.wsMaxConnectionMs === undefined ? {} : { maxConnectionMs: options.wsMaxConnectionMs }),
    });
    await listen(webSocketGateway.server, options.ports.ws);
    stoppers.push(() => webSocketGateway.close());

    const eventSource: SqsEventSource = startSqsEventSource({
      endpoint: sqs.endpoint,
      queueUrl: queues.queueUrl,
      queueArn: queues.queueArn,
      batchSize: ECG_QUEUE.batchSize,
      fn: functionToInvoke('ecgAnalyzer', QUEUE_FUNCTIONS.ecgAnalyzer),
      invoke,
      log,
      ...(options.sqsWaitTimeSeconds === undefined ? {} : { waitTimeSeconds: options.sqsWaitTimeSeconds }),
    });
    stoppers.push(() => eventSource.stop());

    const scheduler = startScheduler(
      Object.entries(SCHEDULED_FUNCTIONS).map(([name, definition]) => ({
        fn: functionToInvoke(name, definition),
        intervalMs: options.scheduleIntervalMs ?? definition.everyMinutes * 60_000,
      })),
      invoke,
      log,
    );
    stoppers.push(async () => scheduler.stop());

    return {
      httpUrl: `http://localhost:${options.ports.http}`,
      wsUrl: `ws://localhost:${options.ports.ws}`,
      managementEndpoint,
      servicesEndpoint: awsServices.endpoint,
      outboxFile,
      state,
      queues,
      environmentOf,
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

/**
 * The catalog key a schedule's target names: the key itself, or the name the function runs
 * under locally (its AWS_LAMBDA_FUNCTION_NAME, `vigil-local-<key>`).
 */
function catalogName(functionName: string): FunctionName | undefined {
  const key = functionName.replace(/^vigil-local-/, '');
  return Object.hasOwn(ALL_FUNCTIONS, key) ? (key as FunctionName) : undefined;
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

/** Fails fast naming the port and, where it can tell, the process holding it. */
async function assertPortsFree(ports: TwinPorts): Promise<void> {
  const busy: string[] = [];
  await Promise.all(
    Object.entries(ports).map(async ([name, port]) => {
      if (await portIsFree(port)) return;
      const holders = await processesListeningOn(port);
      busy.push(`${name} (${port}${holders.length > 0 ? `, held by ${holders.join('; ')}` : ''})`);
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
