// `npm start`: the whole system on this machine, no AWS account and no Docker.
//   npm start              keeps data in .vigil-local/ across restarts
//   npm start -- --fresh   wipes .vigil-local/ first
// Ports and the variables that override them: see local-ports.ts.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_ECG_RETENTION_DAYS, DEFAULT_RECORDING_IDLE_SECONDS, ENV, positiveIntegerEnv } from '../../shared/config/env.ts';
import { LOCAL_DEFAULT_CORS_ORIGINS, parseCorsOrigins } from '../cors-policy.ts';
import { REPO_ROOT } from './lambda-runtime.ts';
import { stopLeftoverProcesses } from './leftover-processes.ts';
import { localPorts } from './local-ports.ts';
import { type RunningTwin, startTwin } from './twin.ts';

const { values: flags } = parseArgs({ options: { fresh: { type: 'boolean', default: false } } });
const dataDir = process.env['VIGIL_LOCAL_DIR'] ?? join(REPO_ROOT, '.vigil-local');

const started = performance.now();

let twin: RunningTwin | undefined;
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local twin...`);
  await twin?.stop();
  console.log('stopped.');
  process.exit(0);
}
// SIGHUP too: closing the terminal must not leave the emulators (their own process groups) running.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));

try {
  if (flags.fresh) {
    // Emulators a killed run left behind are recorded in the folder about to go.
    await stopLeftoverProcesses(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  }
  const corsSetting = process.env['VIGIL_CORS_ORIGINS'];
  twin = await startTwin({
    dataDir,
    persist: true,
    ports: localPorts(),
    // The functions' own settings, read from the same variables a deployment sets on them.
    ecgRetentionDays: positiveIntegerEnv(ENV.ecgRetentionDays, DEFAULT_ECG_RETENTION_DAYS),
    recordingIdleSeconds: positiveIntegerEnv(ENV.recordingIdleSeconds, DEFAULT_RECORDING_IDLE_SECONDS),
    corsOrigins: corsSetting === undefined ? LOCAL_DEFAULT_CORS_ORIGINS : parseCorsOrigins(corsSetting),
    log: (message) => console.log(message),
  });
} catch (error) {
  console.error(`The local twin did not start: ${error instanceof Error ? error.message : String(error)}`);
  console.error(`Emulator logs are in ${join(dataDir, 'logs')}.`);
  process.exit(1);
}
if (stopping) await new Promise(() => undefined);

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const { state } = twin;
console.log(`
Vigil local twin ready in ${seconds} s (data in ${dataDir}${flags.fresh ? ', started fresh' : ''})

  HTTP API        ${twin.httpUrl}/v1/health
  WebSocket API   ${twin.wsUrl}/?token=<access token>
  @connections    ${twin.managementEndpoint}/@connections/{connectionId}
  DynamoDB Local  ${state.dynamoDbEndpoint}  table ${state.tableName}
  SQS (fauxqs)    ${state.sqsEndpoint}  ${state.queueUrl}
  cognito-local   ${state.cognitoEndpoint}  pool ${state.userPoolId}, client ${state.userPoolClientId}
  Scheduler, SES, SNS  ${twin.servicesEndpoint}  (escalations; email and SMS go to ${twin.outboxFile}, one [outbox] line each)

Sign in:
  npm run create-admin -- admin@example.org 'Correct-Horse-42'
  curl -s -X POST ${twin.httpUrl}/v1/auth/login -H 'content-type: application/json' \\
       -d '{"email":"admin@example.org","password":"Correct-Horse-42"}'
  curl -s ${twin.httpUrl}/v1/users/me -H "authorization: Bearer <accessToken>"

Ctrl-C stops everything.`);
