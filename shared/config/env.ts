// Every environment variable a Lambda reads, named once. Which function gets which variable
// is decided in one place from its catalog entry (infra/function-environment.ts), for the
// CDK stack and the local twin alike; handlers read them only through the accessors below.
/** Raw ECG is kept this many days unless the deployment sets VIGIL_ECG_RETENTION_DAYS; findings stay. */
export const DEFAULT_ECG_RETENTION_DAYS = 30;

/** A recording that hears nothing for this long is closed as incomplete (two hours). */
export const DEFAULT_RECORDING_IDLE_SECONDS = 2 * 60 * 60;

/** The sender of alert emails unless the deployment names one (`-c vigil:alertEmailFrom=…`). */
export const DEFAULT_ALERT_EMAIL_FROM = 'alerts@vigil.example';

export const ENV = {
  tableName: 'VIGIL_TABLE_NAME',
  ecgQueueUrl: 'VIGIL_ECG_QUEUE_URL',
  userPoolId: 'VIGIL_USER_POOL_ID',
  userPoolClientId: 'VIGIL_USER_POOL_CLIENT_ID',
  /** https://{apiId}.execute-api.{region}.amazonaws.com/{stage} — where PostToConnection goes. */
  wsManagementEndpoint: 'VIGIL_WS_MANAGEMENT_ENDPOINT',
  /** Days raw ECG chunks are kept before DynamoDB TTL removes them. */
  ecgRetentionDays: 'VIGIL_ECG_RETENTION_DAYS',
  /** Seconds without a chunk after which an open recording is closed as incomplete. */
  recordingIdleSeconds: 'VIGIL_RECORDING_IDLE_SECONDS',
  /** Secret that signs paging cursors so a caller cannot forge one into another partition. */
  cursorSecret: 'VIGIL_CURSOR_SECRET',
  /** The EventBridge Scheduler group escalation schedules are created in. */
  escalationGroup: 'VIGIL_ESCALATION_SCHEDULE_GROUP',
  /** The escalator function the schedules invoke. */
  escalatorArn: 'VIGIL_ESCALATOR_ARN',
  /** The role EventBridge Scheduler assumes to invoke the escalator. */
  escalationRoleArn: 'VIGIL_ESCALATION_ROLE_ARN',
  /** The verified SES address alert emails come from. */
  alertEmailFrom: 'VIGIL_ALERT_EMAIL_FROM',
  /** JSON {"apns"?: arn, "fcm"?: arn}: the SNS platform applications device tokens are registered with. */
  pushApplications: 'VIGIL_PUSH_APPLICATIONS',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Reads a required variable; a missing one is a deployment bug, so it fails loudly. */
export function requireEnv(name: EnvName | 'AWS_REGION', env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigurationError(`environment variable ${name} is not set`);
  }
  return value;
}

export function optionalEnv(name: EnvName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** A positive whole number from the environment, or the default when unset. */
export function positiveIntegerEnv(name: EnvName, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = optionalEnv(name, env);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new ConfigurationError(`environment variable ${name}=${raw} is not a positive whole number`);
  return value;
}
