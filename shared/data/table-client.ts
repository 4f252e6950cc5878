// The DynamoDB document client and table name every store uses. Created once per Lambda
// container; the endpoint comes from the SDK's own AWS_ENDPOINT_URL_DYNAMODB in the twin.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
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

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** Attempts at a transaction that DynamoDB cancelled only because another one touched the same items. */
const TRANSACTION_CONFLICT_ATTEMPTS = 5;

/** True when DynamoDB cancelled a transaction for a concurrent one, not for a failed condition. */
function isTransactionConflict(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as Error & { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
  return (
    reasons.some((reason) => reason.Code === 'TransactionConflict') &&
    reasons.every((reason) => reason.Code === 'TransactionConflict' || reason.Code === 'None')
  );
}

/**
 * Runs a transaction whose conditions encode a business rule (unique email, one open alert
 * per cause, expected state version). Resolves false when a condition failed, so callers
 * turn that into their own error; any other failure is thrown. A cancellation caused only by
 * a concurrent transaction on the same items (a chunk upload meeting an analysis commit on the
 * recording) is retried: the SDK does not retry it by itself.
 */
export async function transactWriteIfConditionsHold(table: TableClient, items: TransactItems): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await table.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      if (!isTransactionConflict(error) || attempt >= TRANSACTION_CONFLICT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * Math.random()));
    }
  }
}

/**
 * Runs an update whose condition encodes a business rule and returns the item as it now is,
 * or undefined when the condition failed; any other failure is thrown.
 */
export async function updateIfConditionHolds(
  table: TableClient,
  input: Omit<UpdateCommandInput, 'TableName' | 'ReturnValues'>,
): Promise<Record<string, unknown> | undefined> {
  try {
    const { Attributes } = await table.doc.send(new UpdateCommand({ ...input, TableName: table.tableName, ReturnValues: 'ALL_NEW' }));
    return Attributes ?? {};
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Every item of a query, following LastEvaluatedKey; for partitions known to stay small. */
export async function queryAll(
  table: TableClient,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(new QueryCommand({ ...input, TableName: table.tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
