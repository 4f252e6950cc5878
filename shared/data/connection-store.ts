// WebSocket connections and their patient subscriptions.
//
// Key layout
//   connection    pk CONNECTION#<connectionId>  sk CONNECTION
//                 gsi1pk USER#<userId>#CONNECTIONS  gsi1sk <connectionId>   (a user's connections)
//   subscription  pk PATIENT#<patientId>  sk SUBSCRIBER#<connectionId>    (connections watching a patient)
// Every item carries expiresAt: API Gateway closes any connection after two hours, so a
// record whose $disconnect was lost still disappears.
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { Connection } from '../domain/connection.ts';
import { TABLE_INDEXES } from './table-definition.ts';
import { batchWriteAll, type TableClient, updateIfConditionHolds } from './table-client.ts';
import { parseItem } from './table-item.ts';

/** API Gateway's hard limit on a connection's life, plus a margin for clock skew. */
export const CONNECTION_TTL_SECONDS = 2 * 60 * 60 + 5 * 60;

export const connectionKeys = {
  connection: (connectionId: string) => ({ pk: `CONNECTION#${connectionId}`, sk: 'CONNECTION' }),
  ofUser: (userId: string) => `USER#${userId}#CONNECTIONS`,
  subscription: (patientId: string, connectionId: string) => ({ pk: `PATIENT#${patientId}`, sk: `SUBSCRIBER#${connectionId}` }),
  subscriberPrefix: 'SUBSCRIBER#',
};

const expiresAt = (nowMs: number) => Math.floor(nowMs / 1000) + CONNECTION_TTL_SECONDS;

export async function putConnection(table: TableClient, connection: Omit<Connection, 'subscriptions'>, nowMs = Date.now()): Promise<void> {
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...connectionKeys.connection(connection.connectionId),
        gsi1pk: connectionKeys.ofUser(connection.userId),
        gsi1sk: connection.connectionId,
        type: 'connection',
        ...connection,
        expiresAt: expiresAt(nowMs),
      },
    }),
  );
}

export async function getConnection(table: TableClient, connectionId: string): Promise<Connection | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: connectionKeys.connection(connectionId) }));
  return Item ? parseItem('connection', Connection, Item) : undefined;
}

const ConnectionIdOnly = Connection.pick({ connectionId: true });
const connectionIdOf = (item: Record<string, unknown>) => parseItem('connection', ConnectionIdOnly, item).connectionId;

export async function listConnectionIdsOfUser(table: TableClient, userId: string): Promise<string[]> {
  const { Items = [] } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: TABLE_INDEXES.gsi1.indexName,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': connectionKeys.ofUser(userId) },
      ProjectionExpression: 'connectionId',
    }),
  );
  return Items.map(connectionIdOf);
}

const Subscriber = Connection.pick({ connectionId: true, userId: true });
export type Subscriber = z.infer<typeof Subscriber>;

/** The connections watching a patient, with the user each belongs to. */
export async function listSubscribers(table: TableClient, patientId: string): Promise<Subscriber[]> {
  const { Items = [] } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `PATIENT#${patientId}`, ':prefix': connectionKeys.subscriberPrefix },
      ProjectionExpression: 'connectionId, userId',
    }),
  );
  return Items.map((item) => parseItem('subscription', Subscriber, item));
}

/**
 * Adds patients to the connection's subscriptions (a set, so concurrent subscribes merge) and
 * records the connection under each patient. False when the connection is gone.
 */
export async function addSubscriptions(
  table: TableClient,
  connection: Pick<Connection, 'connectionId' | 'userId'>,
  patientIds: string[],
  nowMs = Date.now(),
): Promise<boolean> {
  const subscribed = await updateIfConditionHolds(
    table,
    {
      Key: connectionKeys.connection(connection.connectionId),
      UpdateExpression: 'ADD subscriptions :patients',
      // Not on a connection that $disconnect already removed: that would bring it back.
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':patients': new Set(patientIds) },
    },
    'NONE',
  );
  if (!subscribed) return false;
  await batchWriteAll(
    table,
    patientIds.map((patientId) => ({
      PutRequest: {
        Item: {
          ...connectionKeys.subscription(patientId, connection.connectionId),
          type: 'subscription',
          connectionId: connection.connectionId,
          userId: connection.userId,
          expiresAt: expiresAt(nowMs),
        },
      },
    })),
  );
  return true;
}

/** Removes a connection and every subscription it made. Deleting what is gone is harmless. */
export async function deleteConnection(table: TableClient, connectionId: string): Promise<void> {
  const connection = await getConnection(table, connectionId);
  await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: connectionKeys.connection(connectionId) }));
  if (!connection) return;
  await batchWriteAll(
    table,
    connection.subscriptions.map((patientId) => ({ DeleteRequest: { Key: connectionKeys.subscription(patientId, connectionId) } })),
  );
}

/**
 * A resume in progress longer than this is taken to have died with its function (whose timeout is
 * shorter), so pushes go to the connection live again.
 */
export const REPLAY_STALE_AFTER_MS = 60_000;

export type LiveClaim = 'live' | 'replaying' | 'gone';

/**
 * Decides, atomically with any resume on the connection, how notification `seq` reaches it:
 * 'live' (recorded among the seqs it was sent live, so a later resume skips it: post it now),
 * 'replaying' (a resume is sending what was stored and is told to look once more: leave it to
 * the resume), or 'gone'.
 */
export async function claimLiveDelivery(table: TableClient, connectionId: string, seq: number, nowMs = Date.now()): Promise<LiveClaim> {
  const key = connectionKeys.connection(connectionId);
  const stale = nowMs - REPLAY_STALE_AFTER_MS;
  for (let attempt = 0; attempt < 3; attempt++) {
    const live = await updateIfConditionHolds(
      table,
      {
        Key: key,
        UpdateExpression: 'ADD liveSeqs :seq',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(replayingSince) OR replayingSince < :stale)',
        ExpressionAttributeValues: { ':seq': new Set([seq]), ':stale': stale },
      },
      // Not the item back: liveSeqs grows with every push for the connection's life.
      'NONE',
    );
    if (live) return 'live';
    const leftToReplay = await updateIfConditionHolds(
      table,
      {
        Key: key,
        UpdateExpression: 'ADD replayMisses :one, replayMissSeqs :seq',
        ConditionExpression: 'replayingSince >= :stale',
        ExpressionAttributeValues: { ':one': 1, ':seq': new Set([seq]), ':stale': stale },
      },
      'NONE',
    );
    if (leftToReplay) return 'replaying';
    // Neither: the connection is gone, or a resume began or ended between the two; look again.
  }
  return 'gone';
}

const numberSet = z
  .set(z.number())
  .optional()
  .transform((seqs) => new Set(seqs ?? []));
const ReplayState = z.object({
  liveSeqs: numberSet,
  replayMisses: z.number().int().default(0),
  replayMissSeqs: numberSet,
});

/**
 * Marks a resume as running on the connection, so that pushes from now on are left to it.
 * Answers the seqs the connection was already sent live (not to be sent twice) and the miss
 * count to hand to endReplay; undefined when the connection is gone or already resuming.
 */
export async function beginReplay(
  table: TableClient,
  connectionId: string,
  nowMs = Date.now(),
): Promise<{ liveSeqs: ReadonlySet<number>; misses: number } | undefined> {
  const item = await updateIfConditionHolds(table, {
    Key: connectionKeys.connection(connectionId),
    UpdateExpression: 'SET replayingSince = :now REMOVE replayMissSeqs',
    ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(replayingSince) OR replayingSince < :stale)',
    ExpressionAttributeValues: { ':now': nowMs, ':stale': nowMs - REPLAY_STALE_AFTER_MS },
  });
  if (!item) return undefined;
  const state = ReplayState.parse(item);
  return { liveSeqs: state.liveSeqs, misses: state.replayMisses };
}

/** Ends a resume that could not finish, whatever was left to it: pushes go live again at once. */
export async function abandonReplay(table: TableClient, connectionId: string): Promise<void> {
  await updateIfConditionHolds(
    table,
    {
      Key: connectionKeys.connection(connectionId),
      UpdateExpression: 'REMOVE replayingSince',
      ConditionExpression: 'attribute_exists(pk)',
    },
    'NONE',
  );
}

/** The pushes left to the running resume so far: how many, and their numbers. */
export async function replayMisses(table: TableClient, connectionId: string): Promise<{ misses: number; seqs: ReadonlySet<number> }> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: connectionKeys.connection(connectionId), ConsistentRead: true }),
  );
  const state = ReplayState.parse(Item ?? {});
  return { misses: state.replayMisses, seqs: state.replayMissSeqs };
}

/**
 * Ends the resume, unless a push was left to it since it last counted `misses`: then it must
 * look once more (false). A connection gone meanwhile ends it too.
 */
export async function endReplay(table: TableClient, connectionId: string, misses: number): Promise<boolean> {
  const ended = await updateIfConditionHolds(
    table,
    {
      Key: connectionKeys.connection(connectionId),
      UpdateExpression: 'REMOVE replayingSince',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(replayMisses) OR replayMisses = :misses)',
      ExpressionAttributeValues: { ':misses': misses },
    },
    'NONE',
  );
  return ended !== undefined || (await getConnection(table, connectionId)) === undefined;
}
