// Every environment variable a Lambda reads, named once. The CDK stack sets them on the
// functions and the local twin sets them on its own process; handlers read them only here.
/** Raw ECG is kept this many days unless the deployment sets VIGIL_ECG_RETENTION_DAYS; findings stay. */
export const DEFAULT_ECG_RETENTION_DAYS = 30;

export const ENV = {
  tableName: 'VIGIL_TABLE_NAME',
  ecgQueueUrl: 'VIGIL_ECG_QUEUE_URL',
  userPoolId: 'VIGIL_USER_POOL_ID',
  userPoolClientId: 'VIGIL_USER_POOL_CLIENT_ID',
  /** https://{apiId}.execute-api.{region}.amazonaws.com/{stage} — where PostToConnection goes. */
  wsManagementEndpoint: 'VIGIL_WS_MANAGEMENT_ENDPOINT',
  /** Days raw ECG chunks are kept before DynamoDB TTL removes them. */
  ecgRetentionDays: 'VIGIL_ECG_RETENTION_DAYS',
  /** Secret that signs paging cursors so a caller cannot forge one into another partition. */
  cursorSecret: 'VIGIL_CURSOR_SECRET',
  /**
   * Set only by the local twin. It makes the token verifier trust cognito-local's issuer,
   * whose signing key is published in its source code and so must never be trusted in AWS.
   */
  localIssuer: 'VIGIL_LOCAL_ISSUER',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Reads a required variable; a missing one is a deployment bug, so it fails loudly. */
export function requireEnv(name: EnvName, env: NodeJS.ProcessEnv = process.env): string {
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
