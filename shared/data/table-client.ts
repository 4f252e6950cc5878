// The DynamoDB document client and table name every store uses. Created once per Lambda
// container; the endpoint comes from the SDK's own AWS_ENDPOINT_URL_DYNAMODB in the twin.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
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
  /** NONE when the caller only needs to know that it held (the answer is then an empty object). */
  returnValues: 'ALL_NEW' | 'NONE' = 'ALL_NEW',
): Promise<Record<string, unknown> | undefined> {
  try {
    const { Attributes } = await table.doc.send(new UpdateCommand({ ...input, TableName: table.tableName, ReturnValues: returnValues }));
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

/** Attempts at a batch whose items DynamoDB keeps handing back unprocessed (it does so under throttling, without an error). */
const UNPROCESSED_ATTEMPTS = 6;

const backOff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));

export type WriteRequest = NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string][number];

/** Writes every request, 25 at a time, until none is left unprocessed. */
export async function batchWriteAll(table: TableClient, requests: readonly WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: WriteRequest[] = requests.slice(i, i + 25);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= UNPROCESSED_ATTEMPTS) throw new Error(`DynamoDB kept ${pending.length} batch writes unprocessed`);
      if (attempt > 0) await backOff(attempt);
      const { UnprocessedItems } = await table.doc.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: pending } }));
      pending = UnprocessedItems?.[table.tableName] ?? [];
    }
  }
}

type Key = Record<string, unknown>;

/**
 * Every item of `keys` that exists, 100 keys a call, asking again for unprocessed keys: a key
 * silently skipped would look like a missing item. `consistent` reads what the last write wrote.
 */
export async function batchGetAll(
  table: TableClient,
  keys: readonly Key[],
  { consistent = false }: { consistent?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Key[] = keys.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= UNPROCESSED_ATTEMPTS) throw new Error(`DynamoDB kept ${pending.length} batch reads unprocessed`);
      if (attempt > 0) await backOff(attempt);
      const { Responses, UnprocessedKeys } = await table.doc.send(
        new BatchGetCommand({ RequestItems: { [table.tableName]: { Keys: pending, ...(consistent ? { ConsistentRead: true } : {}) } } }),
      );
      items.push(...(Responses?.[table.tableName] ?? []));
      pending = UnprocessedKeys?.[table.tableName]?.Keys ?? [];
    }
  }
  return items;
}

export interface QueryPage {
  items: Record<string, unknown>[];
  /** Where the next page starts; absent on the last page. */
  nextKey?: Key;
}

/**
 * One page of a query: up to `limit` items from `startKey` on. DynamoDB may stop short of the
 * limit when a filter drops items; the page then carries on until it is full or the partition ends.
 */
export async function queryPage(
  table: TableClient,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>,
  limit: number,
  startKey?: Key,
): Promise<QueryPage> {
  const items: Record<string, unknown>[] = [];
  let next = startKey;
  do {
    const page = await table.doc.send(
      new QueryCommand({ ...input, TableName: table.tableName, Limit: limit - items.length, ExclusiveStartKey: next }),
    );
    items.push(...(page.Items ?? []));
    next = page.LastEvaluatedKey;
  } while (next && items.length < limit);
  return { items, ...(next ? { nextKey: next } : {}) };
}

/**
 * A counter on the item at `key` moved by `delta`, inside a transaction; a decrement must leave
 * at least one, so two removals racing each other cannot both pass.
 */
export function guardedCounterChange(
  table: TableClient,
  key: Record<string, string>,
  counter: string,
  delta: 1 | -1,
): TransactItems[number] {
  return {
    Update: {
      TableName: table.tableName,
      Key: key,
      UpdateExpression: 'ADD #counter :delta',
      ConditionExpression: delta < 0 ? '#counter > :one' : 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#counter': counter },
      ExpressionAttributeValues: delta < 0 ? { ':delta': delta, ':one': 1 } : { ':delta': delta },
    },
  };
}
