// The integration harness starts each emulator with the project's resources, and stops them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CognitoIdentityProviderClient, ListGroupsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { TABLE_INDEXES } from '../../shared/data/table-definition.ts';
import { ECG_QUEUE } from '../../shared/messaging/queue-definitions.ts';
import { USER_POOL } from '../../shared/auth/user-pool-definition.ts';
import { startLocalServices, type LocalServices } from '../support/local-services.ts';

let services: LocalServices;

beforeAll(async () => {
  services = await startLocalServices();
});

afterAll(async () => {
  await services?.stop();
});

const config = () => ({ region: services.region, credentials: services.credentials });

describe('startLocalServices', () => {
  it('creates the table with both indexes', async () => {
    const client = new DynamoDBClient({ ...config(), endpoint: services.dynamoDb?.endpoint });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: services.dynamoDb?.tableName }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(Object.keys(TABLE_INDEXES).sort());
    client.destroy();
  });

  it('creates the FIFO ECG queue with its redrive policy to the FIFO DLQ', async () => {
    const client = new SQSClient({ ...config(), endpoint: services.sqs?.endpoint });
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: services.sqs?.queues.queueUrl, AttributeNames: ['All'] }),
    );
    expect(Attributes?.['FifoQueue']).toBe('true');
    expect(JSON.parse(Attributes?.['RedrivePolicy'] ?? '{}')).toEqual({
      deadLetterTargetArn: services.sqs?.queues.deadLetterQueueArn,
      maxReceiveCount: ECG_QUEUE.maxReceiveCount,
    });
    client.destroy();
  });

  it('creates the user pool with every role as a group, and exposes the env handlers read', async () => {
    const client = new CognitoIdentityProviderClient({ ...config(), endpoint: services.cognito?.endpoint });
    const { Groups } = await client.send(new ListGroupsCommand({ UserPoolId: services.cognito?.userPoolId }));
    expect(Groups?.map((group) => group.GroupName).sort()).toEqual([...USER_POOL.groups].sort());
    expect(services.env).toMatchObject({
      VIGIL_TABLE_NAME: services.dynamoDb?.tableName,
      VIGIL_ECG_QUEUE_URL: services.sqs?.queues.queueUrl,
      VIGIL_USER_POOL_ID: services.cognito?.userPoolId,
      AWS_ENDPOINT_URL_DYNAMODB: services.dynamoDb?.endpoint,
    });
    client.destroy();
  });
});
