// What the twin tells the AWS SDK: a fixed region and throwaway credentials. The emulators
// accept any credentials; the SDK just refuses to sign without some.
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface EmulatorEndpoints {
  readonly dynamoDb?: string;
  readonly sqs?: string;
  readonly cognito?: string;
  readonly scheduler?: string;
  readonly sesv2?: string;
  readonly sns?: string;
}

/** What code running against the emulators needs from its platform: region, credentials, endpoints. */
export function platformEnvironment(endpoints: EmulatorEndpoints): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    ...(endpoints.dynamoDb === undefined ? {} : { AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb }),
    ...(endpoints.sqs === undefined ? {} : { AWS_ENDPOINT_URL_SQS: endpoints.sqs }),
    ...(endpoints.cognito === undefined ? {} : { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito }),
    ...(endpoints.scheduler === undefined ? {} : { AWS_ENDPOINT_URL_SCHEDULER: endpoints.scheduler }),
    ...(endpoints.sesv2 === undefined ? {} : { AWS_ENDPOINT_URL_SESV2: endpoints.sesv2 }),
    ...(endpoints.sns === undefined ? {} : { AWS_ENDPOINT_URL_SNS: endpoints.sns }),
  };
}
