// The environment of each function, derived from its catalog `access` in one place for the
// CDK stack (values are deploy-time tokens) and the local twin (values point at the
// emulators). A function gets exactly the variables its flags call for, so one that lacks a
// flag fails locally as it would in AWS.
import type { FunctionDefinition } from '../shared/api/function-catalog.ts';
import { ENV, type EnvName } from '../shared/config/env.ts';

/** Where each value comes from; a source is asked only when a function needs its value. */
export interface EnvironmentSources {
  readonly tableName?: () => string;
  readonly userPool?: () => { userPoolId: string; userPoolClientId: string };
  readonly ecgQueueUrl?: () => string;
  readonly ecgRetentionDays?: () => string;
  readonly wsManagementEndpoint?: () => string;
  readonly cursorSecret?: () => string;
  readonly recordingIdleSeconds?: () => string;
}

export function functionEnvironment(
  name: string,
  definition: FunctionDefinition,
  sources: EnvironmentSources,
): Partial<Record<EnvName, string>> {
  const { access } = definition;
  const need = <K extends keyof EnvironmentSources>(key: K, flag: string): ReturnType<NonNullable<EnvironmentSources[K]>> => {
    const source = sources[key];
    if (source === undefined) throw new Error(`function ${name} declares ${flag} in the catalog but was built without ${key}`);
    return source() as ReturnType<NonNullable<EnvironmentSources[K]>>;
  };
  const environment: Partial<Record<EnvName, string>> = {};
  if (access.table !== 'none') environment[ENV.tableName] = need('tableName', `table: ${access.table}`);
  // Administering users goes through the same identity provider module as sign-in, which is
  // configured with both ids; neither is a secret.
  if (access.usesAppClient || access.administerUsers) {
    const pool = need('userPool', access.usesAppClient ? 'usesAppClient' : 'administerUsers');
    environment[ENV.userPoolId] = pool.userPoolId;
    environment[ENV.userPoolClientId] = pool.userPoolClientId;
  }
  if (access.sendEcgChunks) environment[ENV.ecgQueueUrl] = need('ecgQueueUrl', 'sendEcgChunks');
  if (access.storesRawEcg) environment[ENV.ecgRetentionDays] = need('ecgRetentionDays', 'storesRawEcg');
  if (access.manageConnections) environment[ENV.wsManagementEndpoint] = need('wsManagementEndpoint', 'manageConnections');
  if (access.mintsCursors) environment[ENV.cursorSecret] = need('cursorSecret', 'mintsCursors');
  if (access.closesIdleRecordings) environment[ENV.recordingIdleSeconds] = need('recordingIdleSeconds', 'closesIdleRecordings');
  return environment;
}
