// The configuration a deployed Lambda would get from the CDK stack, pointed at the local
// emulators instead. It is applied to the twin's own process before any handler is imported,
// because handlers create their clients at module scope.
import { DEFAULT_ECG_RETENTION_DAYS, ENV } from '../../shared/config/env.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-aws.ts';

export interface HandlerEnvironmentInput {
  readonly tableName: string;
  readonly ecgQueueUrl: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly wsManagementEndpoint: string;
  readonly localIssuer: string;
  readonly dynamoDbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly cognitoEndpoint: string;
  readonly ecgRetentionDays?: number;
}

/** Not a secret: it only signs paging cursors of a laptop's throwaway data. */
const LOCAL_CURSOR_SECRET = 'vigil-local-cursor-secret-not-for-production';

export function handlerEnvironment(input: HandlerEnvironmentInput): Record<string, string> {
  return {
    [ENV.tableName]: input.tableName,
    [ENV.ecgQueueUrl]: input.ecgQueueUrl,
    [ENV.userPoolId]: input.userPoolId,
    [ENV.userPoolClientId]: input.userPoolClientId,
    [ENV.wsManagementEndpoint]: input.wsManagementEndpoint,
    [ENV.localIssuer]: input.localIssuer,
    [ENV.cursorSecret]: LOCAL_CURSOR_SECRET,
    [ENV.ecgRetentionDays]: String(input.ecgRetentionDays ?? DEFAULT_ECG_RETENTION_DAYS),
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: input.dynamoDbEndpoint,
    AWS_ENDPOINT_URL_SQS: input.sqsEndpoint,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: input.cognitoEndpoint,
  };
}
