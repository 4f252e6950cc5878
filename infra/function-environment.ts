// The environment of each function, derived from its catalog `access` in one place for the
// CDK stack (values are deploy-time tokens) and the local twin (values point at the
// emulators). A function gets exactly the variables its flags call for, so one that lacks a
// flag fails locally as it would in AWS.
import type { FunctionDefinition } from '../shared/api/function-catalog.ts';
import { ENV, type EnvName } from '../shared/config/env.ts';

/**
 * Where each value comes from. A source is asked only when a function needs its value, so one
 * for a resource a stack lacks may throw, naming what is missing.
 */
export interface EnvironmentSources {
  readonly tableName: () => string;
  readonly userPool: () => { userPoolId: string; userPoolClientId: string };
  readonly ecgQueueUrl: () => string;
  readonly ecgRetentionDays: () => string;
  readonly wsManagementEndpoint: () => string;
  readonly cursorSecret: () => string;
  readonly recordingIdleSeconds: () => string;
  readonly escalationSchedules: () => { groupName: string; escalatorArn: string; roleArn: string };
  readonly alertEmailFrom: () => string;
  /** JSON: the SNS platform application of each push service the deployment has. */
  readonly pushApplications: () => string;
}

export function functionEnvironment(definition: FunctionDefinition, sources: EnvironmentSources): Partial<Record<EnvName, string>> {
  const { access } = definition;
  const environment: Partial<Record<EnvName, string>> = {};
  if (access.table !== 'none') environment[ENV.tableName] = sources.tableName();
  // Administering users goes through the same identity provider module as sign-in, which is
  // configured with both ids; neither is a secret.
  if (access.usesAppClient || access.administerUsers) {
    const pool = sources.userPool();
    environment[ENV.userPoolId] = pool.userPoolId;
    environment[ENV.userPoolClientId] = pool.userPoolClientId;
  }
  if (access.sendEcgChunks) environment[ENV.ecgQueueUrl] = sources.ecgQueueUrl();
  if (access.storesRawEcg) environment[ENV.ecgRetentionDays] = sources.ecgRetentionDays();
  if (access.manageConnections) environment[ENV.wsManagementEndpoint] = sources.wsManagementEndpoint();
  if (access.mintsCursors) environment[ENV.cursorSecret] = sources.cursorSecret();
  if (access.closesIdleRecordings) environment[ENV.recordingIdleSeconds] = sources.recordingIdleSeconds();
  if (access.schedulesEscalations) {
    const schedules = sources.escalationSchedules();
    environment[ENV.escalationGroup] = schedules.groupName;
    environment[ENV.escalatorArn] = schedules.escalatorArn;
    environment[ENV.escalationRoleArn] = schedules.roleArn;
  }
  if (access.sendsOutsideApp) environment[ENV.alertEmailFrom] = sources.alertEmailFrom();
  if (access.registersPushDevices) environment[ENV.pushApplications] = sources.pushApplications();
  return environment;
}
