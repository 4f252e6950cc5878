import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  addSubscriptions,
  CONNECTION_TTL_SECONDS,
  connectionKeys,
  deleteConnection,
  getConnection,
  listConnectionIdsOfUser,
  listSubscribers,
  putConnection,
} from '../../shared/data/connection-store.ts';
import { testTable } from './support/table.ts';

const table = testTable();

describe('connection store (DynamoDB Local)', () => {
  it("finds a user's connections and a patient's subscribers, and forgets both on disconnect", async () => {
    const userId = randomUUID();
    const patients = [randomUUID(), randomUUID()];
    const third = randomUUID();
    const connectionId = `conn-${randomUUID()}`;
    const now = Date.UTC(2026, 10, 22, 4);
    await putConnection(
      table,
      { connectionId, userId, orgId: randomUUID(), role: 'clinician', connectedAt: new Date(now).toISOString() },
      now,
    );
    await addSubscriptions(table, (await getConnection(table, connectionId))!, patients, now);

    expect(await listConnectionIdsOfUser(table, userId)).toEqual([connectionId]);
    expect((await listSubscribers(table, patients[1]!)).map((s) => s.connectionId)).toEqual([connectionId]);
    const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: connectionKeys.connection(connectionId) }));
    expect(Item?.['expiresAt']).toBe(now / 1000 + CONNECTION_TTL_SECONDS);

    await Promise.all([
      addSubscriptions(table, { connectionId, userId }, [patients[0]!]),
      addSubscriptions(table, { connectionId, userId }, [third]),
    ]);
    expect((await getConnection(table, connectionId))?.subscriptions.sort()).toEqual([...patients, third].sort());

    await deleteConnection(table, connectionId);
    expect(await listSubscribers(table, 'third')).toEqual([]);
    expect(await addSubscriptions(table, { connectionId, userId }, [randomUUID()])).toBe(false);
    expect(await getConnection(table, connectionId)).toBeUndefined();
    expect(await listConnectionIdsOfUser(table, userId)).toEqual([]);
    expect(await listSubscribers(table, patients[0]!)).toEqual([]);
    await expect(deleteConnection(table, connectionId)).resolves.toBeUndefined();
  });
});
