// Creates the table, the ECG queues and the user pool on the local emulators from the same
// definitions the CDK stack uses. Every step is idempotent so a restart reuses what exists.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GroupExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { createTableInput, TABLE_KEYS } from '../../shared/data/table-definition.ts';
import { ECG_QUEUE } from '../../shared/messaging/queue-definitions.ts';
import { USER_POOL } from '../../shared/auth/user-pool-definition.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-aws.ts';

export interface ProvisionedQueues {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLetterQueueArn: string;
}

export interface ProvisionedUserPool {
  readonly userPoolId: string;
  readonly userPoolClientId: string;
}

const clientConfig = (endpoint: string) => ({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient(clientConfig(endpoint));
  try {
    let exists = true;
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      exists = false;
    }
    if (!exists) {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
      await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
    }
    // TTL as in the stack, so expiring items (raw ECG, connections) behave the same way.
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    if (TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
        }),
      );
    }
  } finally {
    client.destroy();
  }
}

/**
 * The FIFO chunk queue and its FIFO dead-letter queue. `visibilityTimeoutSeconds` replaces
 * the cloud's six minutes so that a failed chunk is retried within seconds on a laptop.
 */
export async function ensureEcgQueues(endpoint: string, visibilityTimeoutSeconds: number): Promise<ProvisionedQueues> {
  const client = new SQSClient(clientConfig(endpoint));
  try {
    const deadLetterQueueUrl = await createQueue(client, ECG_QUEUE.deadLetterName, {
      FifoQueue: 'true',
      MessageRetentionPeriod: String(ECG_QUEUE.deadLetterRetentionSeconds),
    });
    const deadLetterQueueArn = await queueArn(client, deadLetterQueueUrl);
    const attributes = {
      VisibilityTimeout: String(visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(ECG_QUEUE.retentionSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueueArn, maxReceiveCount: ECG_QUEUE.maxReceiveCount }),
    };
    const queueUrl = await createQueue(client, ECG_QUEUE.name, { FifoQueue: 'true' });
    // Applied on every start: a persisted queue may carry an older visibility timeout.
    await client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: attributes }));
    return { queueUrl, queueArn: await queueArn(client, queueUrl), deadLetterQueueUrl, deadLetterQueueArn };
  } finally {
    client.destroy();
  }
}

async function createQueue(client: SQSClient, QueueName: string, Attributes: Record<string, string>): Promise<string> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName, Attributes }));
  if (QueueUrl === undefined) throw new Error(`CreateQueue ${QueueName} returned no URL`);
  return QueueUrl;
}

async function queueArn(client: SQSClient, QueueUrl: string): Promise<string> {
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const arn = Attributes?.['QueueArn'];
  if (arn === undefined) throw new Error(`queue ${QueueUrl} has no ARN`);
  return arn;
}

/** Reuses `existing` when cognito-local still knows it; otherwise creates pool, groups and client. */
export async function ensureUserPool(endpoint: string, existing?: ProvisionedUserPool): Promise<ProvisionedUserPool> {
  const client = new CognitoIdentityProviderClient(clientConfig(endpoint));
  try {
    if (existing !== undefined && (await poolStillExists(client, existing))) {
      await ensureGroups(client, existing.userPoolId);
      return existing;
    }
    const { UserPool } = await client.send(
      new CreateUserPoolCommand({
        PoolName: USER_POOL.name,
        UsernameAttributes: ['email'],
        Policies: {
          PasswordPolicy: {
            MinimumLength: USER_POOL.passwordPolicy.minLength,
            RequireLowercase: USER_POOL.passwordPolicy.requireLowercase,
            RequireUppercase: USER_POOL.passwordPolicy.requireUppercase,
            RequireNumbers: USER_POOL.passwordPolicy.requireDigits,
            RequireSymbols: USER_POOL.passwordPolicy.requireSymbols,
          },
        },
      }),
    );
    const userPoolId = UserPool?.Id;
    if (userPoolId === undefined) throw new Error('CreateUserPool returned no id');
    await ensureGroups(client, userPoolId);
    const { UserPoolClient } = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: USER_POOL.clientName,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: USER_POOL.accessTokenValidityMinutes,
        IdTokenValidity: USER_POOL.accessTokenValidityMinutes,
        RefreshTokenValidity: USER_POOL.refreshTokenValidityDays,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
      }),
    );
    const userPoolClientId = UserPoolClient?.ClientId;
    if (userPoolClientId === undefined) throw new Error('CreateUserPoolClient returned no id');
    return { userPoolId, userPoolClientId };
  } finally {
    client.destroy();
  }
}

async function poolStillExists(client: CognitoIdentityProviderClient, pool: ProvisionedUserPool): Promise<boolean> {
  try {
    await client.send(new DescribeUserPoolCommand({ UserPoolId: pool.userPoolId }));
    await client.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientId: pool.userPoolClientId }));
    return true;
  } catch {
    return false;
  }
}

async function ensureGroups(client: CognitoIdentityProviderClient, userPoolId: string): Promise<void> {
  for (const GroupName of USER_POOL.groups) {
    try {
      await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName }));
    } catch (error) {
      if (!(error instanceof GroupExistsException)) throw error;
    }
  }
}
