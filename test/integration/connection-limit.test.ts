// One person may hold MAX_CONNECTIONS_PER_USER WebSockets at once; the next is refused. A
// record whose $disconnect was lost does not count once API Gateway says it is gone.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/domain/caller.ts';
import { MAX_CONNECTIONS_PER_USER } from '../../shared/domain/connection.ts';
import { LimitExceededError } from '../../shared/domain/errors.ts';
import { listConnectionIdsOfUser } from '../../shared/data/connection-store.ts';
import { openConnection } from '../../shared/services/connection-service.ts';
import { recordingNotifier } from '../support/fake-notifier.ts';
import { testTable } from './support/table.ts';

const table = testTable();
const caller = (): Caller => ({ userId: randomUUID(), orgId: randomUUID(), role: 'clinician' });

describe('connections per user (DynamoDB Local)', () => {
  it(`refuses connection ${MAX_CONNECTIONS_PER_USER + 1} while the first ${MAX_CONNECTIONS_PER_USER} are open`, async () => {
    const who = caller();
    const deps = { table, notifier: recordingNotifier().notifier };
    for (let i = 0; i < MAX_CONNECTIONS_PER_USER; i++) await openConnection(deps, `open-${i}-${who.userId}`, who);
    expect(await openConnection(deps, `one-more-${who.userId}`, who)).toBeInstanceOf(LimitExceededError);
    expect(await listConnectionIdsOfUser(table, who.userId)).toHaveLength(MAX_CONNECTIONS_PER_USER);
  });

  it('drops recorded connections API Gateway no longer holds before refusing, and lets the new one in', async () => {
    const who = caller();
    const { notifier } = recordingNotifier();
    const dead = new Set<string>();
    const deps = { table, notifier: { ...notifier, isConnected: async (id: string) => !dead.has(id) } };
    for (let i = 0; i < MAX_CONNECTIONS_PER_USER; i++) await openConnection(deps, `conn-${i}-${who.userId}`, who);
    dead.add(`conn-3-${who.userId}`);
    expect(await openConnection(deps, `fresh-${who.userId}`, who)).toBeUndefined();
    const open = await listConnectionIdsOfUser(table, who.userId);
    expect(open).toHaveLength(MAX_CONNECTIONS_PER_USER);
    expect(open).toContain(`fresh-${who.userId}`);
    expect(open).not.toContain(`conn-3-${who.userId}`);
  });

  it("does not count another person's connections", async () => {
    const deps = { table, notifier: recordingNotifier().notifier };
    const busy = caller();
    for (let i = 0; i < MAX_CONNECTIONS_PER_USER; i++) await openConnection(deps, `busy-${i}-${busy.userId}`, busy);
    const other = caller();
    expect(await openConnection(deps, `other-${other.userId}`, other)).toBeUndefined();
  });
});
