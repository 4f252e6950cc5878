// Each person's notifications and their sequence counter.
//
// Key layout (one partition per person)
//   counter       pk NOTIFICATIONS#<userId>  sk SEQ                → lastSeq
//   notification  pk NOTIFICATIONS#<userId>  sk N#<seq, 16 digits>
//                 gsi1pk NOTIFICATIONS#<userId>#UNREAD  gsi1sk <seq, 16 digits>   (while unread: a sparse index)
// Notifications expire (expiresAt) after the retention time; so do their unread index entries,
// which is why the unread are counted, not kept in a counter that would drift.
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { Notification, notificationExpiry } from '../domain/notification.ts';
import { TABLE_INDEXES } from './table-definition.ts';
import { batchGetAll, queryAll, queryPage, type TableClient, updateIfConditionHolds } from './table-client.ts';
import { parseItem } from './table-item.ts';

const SEQ_DIGITS = 16;
const padded = (seq: number) => String(seq).padStart(SEQ_DIGITS, '0');

const partition = (userId: string) => `NOTIFICATIONS#${userId}`;

export const notificationKeys = {
  partition,
  counter: (userId: string) => ({ pk: partition(userId), sk: 'SEQ' }),
  notification: (userId: string, seq: number) => ({ pk: partition(userId), sk: `N#${padded(seq)}` }),
  unread: (userId: string) => `${partition(userId)}#UNREAD`,
};

const parseNotification = (item: Record<string, unknown>) => parseItem('notification', Notification, item);

/** The next number of the person's sequence; numbers are never handed out twice. */
export async function nextSeq(table: TableClient, userId: string): Promise<number> {
  const { Attributes } = await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: notificationKeys.counter(userId),
      UpdateExpression: 'ADD lastSeq :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return z.object({ lastSeq: z.number().int() }).parse(Attributes).lastSeq;
}

/** The highest number handed out so far (0 before the first). */
export async function lastSeq(table: TableClient, userId: string): Promise<number> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: notificationKeys.counter(userId), ConsistentRead: true }),
  );
  return typeof Item?.['lastSeq'] === 'number' ? Item['lastSeq'] : 0;
}

export async function putNotification(table: TableClient, notification: Omit<Notification, 'readAt'>): Promise<void> {
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...notificationKeys.notification(notification.userId, notification.seq),
        gsi1pk: notificationKeys.unread(notification.userId),
        gsi1sk: padded(notification.seq),
        type: 'notification',
        ...notification,
        expiresAt: notificationExpiry(new Date(notification.createdAt)),
      },
    }),
  );
}

export interface NotificationPage {
  items: Notification[];
  /** The seq to continue below, when there may be more. */
  nextBefore?: number;
}

/** One page, newest first, of seqs below `before` when given; only unread ones when asked. */
export async function queryNotifications(
  table: TableClient,
  userId: string,
  options: { unread: boolean; limit: number; before?: number },
): Promise<NotificationPage> {
  const { before } = options;
  const input = options.unread
    ? {
        IndexName: TABLE_INDEXES.gsi1.indexName,
        KeyConditionExpression: before === undefined ? 'gsi1pk = :pk' : 'gsi1pk = :pk AND gsi1sk < :before',
        ExpressionAttributeValues: {
          ':pk': notificationKeys.unread(userId),
          ...(before === undefined ? {} : { ':before': padded(before) }),
        },
      }
    : {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
        ExpressionAttributeValues: {
          ':pk': notificationKeys.partition(userId),
          ':first': notificationKeys.notification(userId, 0).sk,
          ':last': notificationKeys.notification(userId, before === undefined ? Number.MAX_SAFE_INTEGER : before - 1).sk,
        },
      };
  const page = await queryPage(table, { ...input, ScanIndexForward: false }, options.limit);
  const items = page.items.map(parseNotification);
  const last = items.at(-1);
  return { items, ...(page.nextKey && last ? { nextBefore: last.seq } : {}) };
}

/** Up to `limit` notifications with seqs above `after`, oldest first: what a reconnecting client missed. */
export async function notificationsAfter(table: TableClient, userId: string, after: number, limit: number): Promise<Notification[]> {
  const { Items = [] } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
      ExpressionAttributeValues: {
        ':pk': notificationKeys.partition(userId),
        ':first': notificationKeys.notification(userId, after + 1).sk,
        ':last': notificationKeys.notification(userId, Number.MAX_SAFE_INTEGER).sk,
      },
      ConsistentRead: true,
      Limit: limit,
    }),
  );
  return Items.map(parseNotification);
}

/** These of a person's notifications, those still kept, in order (consistent: each was stored before it was named). */
export async function getNotifications(table: TableClient, userId: string, seqs: readonly number[]): Promise<Notification[]> {
  const items = await batchGetAll(
    table,
    [...new Set(seqs)].map((seq) => notificationKeys.notification(userId, seq)),
    { consistent: true },
  );
  return items.map(parseNotification).sort((a, b) => a.seq - b.seq);
}

/** Every unread notification of a person, newest first: the sparse index read whole (expired ones drop out of it by themselves). */
export async function listUnread(table: TableClient, userId: string): Promise<Notification[]> {
  const items = await queryAll(table, {
    IndexName: TABLE_INDEXES.gsi1.indexName,
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': notificationKeys.unread(userId) },
    ScanIndexForward: false,
  });
  return items.map(parseNotification);
}

/** Marks one notification read; false when it was read already or does not exist. */
async function markOneRead(table: TableClient, userId: string, seq: number, at: string): Promise<boolean> {
  const marked = await updateIfConditionHolds(
    table,
    {
      Key: notificationKeys.notification(userId, seq),
      UpdateExpression: 'SET readAt = :at REMOVE gsi1pk, gsi1sk',
      ConditionExpression: 'attribute_exists(gsi1pk)',
      ExpressionAttributeValues: { ':at': at },
    },
    'NONE',
  );
  return marked !== undefined;
}

/** Marks these read; answers how many were unread. */
export async function markRead(table: TableClient, userId: string, seqs: readonly number[], at: string): Promise<number> {
  const marked = await Promise.all([...new Set(seqs)].map((seq) => markOneRead(table, userId, seq, at)));
  return marked.filter(Boolean).length;
}

/** Marks every unread notification up to and including `upToSeq` read; answers how many. */
export async function markReadUpTo(table: TableClient, userId: string, upToSeq: number, at: string): Promise<number> {
  let marked = 0;
  for (;;) {
    const { Items = [] } = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: TABLE_INDEXES.gsi1.indexName,
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :upTo',
        ExpressionAttributeValues: { ':pk': notificationKeys.unread(userId), ':upTo': padded(upToSeq) },
        ProjectionExpression: 'seq',
        Limit: 100,
      }),
    );
    if (Items.length === 0) return marked;
    const seqs = Items.map((item) => z.object({ seq: z.number().int() }).parse(item).seq);
    const now = await markRead(table, userId, seqs, at);
    // The index lags its table a little: a page that was all read already means the rest was read too.
    if (now === 0) return marked;
    marked += now;
  }
}
