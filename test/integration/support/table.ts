import { inject } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTableClient, type TableClient } from '../../../shared/data/table-client.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../infra/local/local-aws.ts';

/** A client for the suite's DynamoDB Local table (see dynamodb-global-setup.ts). */
export function testTable(): TableClient {
  return createTableClient(
    inject('tableName'),
    new DynamoDBClient({ endpoint: inject('dynamoDbEndpoint'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  );
}
