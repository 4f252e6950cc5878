// The DynamoDB document client and table name every store uses. Created once per Lambda
// container; the endpoint comes from the SDK's own AWS_ENDPOINT_URL_DYNAMODB in the twin.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV, requireEnv } from '../config/env.ts';

export interface TableClient {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
}

export function createTableClient(tableName: string, client: DynamoDBClient = new DynamoDBClient({})): TableClient {
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { doc, tableName };
}

let fromEnv: TableClient | undefined;

/** The process-wide client for the table named in the environment. */
export function tableClientFromEnv(): TableClient {
  fromEnv ??= createTableClient(requireEnv(ENV.tableName));
  return fromEnv;
}

/** True when a write's condition failed (alone or inside a transaction). */
export function isConditionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConditionalCheckFailedException') return true;
  if (error.name === 'TransactionCanceledException') {
    const reasons = (error as Error & { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
    return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed');
  }
  return false;
}
