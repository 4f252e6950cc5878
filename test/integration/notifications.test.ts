// Stored notifications and the resume protocol against DynamoDB Local: numbers that only rise,
// pages newest first, unread counted and marked, and a replay that hands a push arriving in the
// middle of it to the replay itself (deterministically: the push is made from inside a post).
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { NotificationMessage, ServerMessage } from '../../shared/api/websocket-messages.ts';
import type { Actor } from '../../shared/audit/audit-entries.ts';
import { beginReplay, claimLiveDelivery, endReplay, putConnection, replayMisses } from '../../shared/data/connection-store.ts';
import {
  lastSeq,
  listUnread,
  markRead,
  markReadUpTo,
  nextSeq,
  notificationsAfter,
  putNotification,
  queryNotifications,
} from '../../shared/data/notification-store.ts';
import type { TableClient } from '../../shared/data/table-client.ts';
import { type ConnectionPoster, createNotifier } from '../../shared/realtime/connection-notifier.ts';
import { listNotifications, notifyAbout, replayNotifications, unreadCount } from '../../shared/services/notification-service.ts';
import { createCursorCodec } from '../../shared/data/paging-cursor.ts';
import { storedClinician, storedPatient } from './support/people.ts';
import { testTable } from './support/table.ts';

const table = testTable();
const at = '2026-12-02T10:00:00.000Z';
const message = (seq: number): NotificationMessage => ({
  type: 'alert.escalated',
  seq,
  alertId: randomUUID(),
  patientId: randomUUID(),
  priority: 'high',
  escalatedAt: at,
});

async function store(userId: string, count: number) {
  for (let index = 0; index < count; index++) {
    const seq = await nextSeq(table, userId);
    await putNotification(table, { userId, seq, createdAt: at, message: message(seq) });
  }
}

describe('notification store', () => {
  it('numbers each person’s notifications from 1, pages them newest first, and counts and marks the unread', async () => {
    const userId = randomUUID();
    expect(await lastSeq(table, userId)).toBe(0);
    await store(userId, 5);
    expect(await lastSeq(table, userId)).toBe(5);
    expect(await lastSeq(table, randomUUID())).toBe(0);

    const first = await queryNotifications(table, userId, { unread: false, limit: 2 });
    expect(first.items.map((item) => item.seq)).toEqual([5, 4]);
    const second = await queryNotifications(table, userId, { unread: false, limit: 2, before: first.nextBefore ?? 0 });
    expect(second.items.map((item) => item.seq)).toEqual([3, 2]);
    // Never the counter item that shares the partition.
    expect((await notificationsAfter(table, userId, 0, 100)).map((item) => item.seq)).toEqual([1, 2, 3, 4, 5]);
    expect((await notificationsAfter(table, userId, 3, 100)).map((item) => item.seq)).toEqual([4, 5]);

    expect((await listUnread(table, userId)).map((item) => item.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(await markRead(table, userId, [2, 2, 9], at)).toBe(1);
    expect(await markRead(table, userId, [2], at)).toBe(0);
    expect((await queryNotifications(table, userId, { unread: true, limit: 10 })).items.map((item) => item.seq)).toEqual([5, 4, 3, 1]);
    expect(await markReadUpTo(table, userId, 4, at)).toBe(3);
    expect((await listUnread(table, userId)).map((item) => item.seq)).toEqual([5]);
    expect((await queryNotifications(table, userId, { unread: false, limit: 1 })).items[0]).toMatchObject({ seq: 5 });
    expect((await queryNotifications(table, userId, { unread: false, limit: 5 })).items[1]).toMatchObject({ seq: 4, readAt: at });
  });
});

describe('notifications of a patient no longer the reader’s', () => {
  it('are neither listed (pages still complete) nor counted unread', async () => {
    const reader = await storedClinician(table);
    const mine = (await storedPatient(table, { orgId: reader.orgId, primaryClinicianId: reader.userId })).userId;
    const former = randomUUID();
    for (let index = 1; index <= 9; index++) {
      const seq = await nextSeq(table, reader.userId);
      const patientId = index % 3 === 0 ? mine : former;
      await putNotification(table, { userId: reader.userId, seq, createdAt: at, message: { ...message(seq), patientId } });
    }
    const deps = { table, cursors: createCursorCodec('integration-secret') };
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listNotifications(deps, reader, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((item) => item.seq));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([9, 6, 3]);
    expect(await unreadCount(deps, reader)).toEqual({ unread: 3, lastSeq: 9 });
  });
});

/** A table client that runs `hook` after each command it sends: a push racing a replay's look. */
function hookedTable(hook: (command: unknown) => Promise<void>): TableClient {
  return {
    tableName: table.tableName,
    doc: {
      send: async (command: unknown) => {
        const result = await (table.doc.send as (sent: unknown) => Promise<unknown>)(command);
        await hook(command);
        return result;
      },
    },
  } as unknown as TableClient;
}

/** Runs `push` once, right after the replay's first look at the store (its consistent query). */
function afterFirstLook(push: () => Promise<unknown>): TableClient {
  let done = false;
  return hookedTable(async (command) => {
    if (!done && command instanceof QueryCommand && command.input.ConsistentRead === true) {
      done = true;
      await push();
    }
  });
}

/** A WebSocket stand-in that records what each connection was sent, and can act or fail while posting. */
function recordingPoster(onPost?: (message: ServerMessage) => Promise<void>, failing?: () => boolean) {
  const sent = new Map<string, ServerMessage[]>();
  const poster: ConnectionPoster = {
    async post(connectionId, posted) {
      if (failing?.()) throw Object.assign(new Error('throttled'), { name: 'LimitExceededException' });
      sent.set(connectionId, [...(sent.get(connectionId) ?? []), posted]);
      await onPost?.(posted);
      return true;
    },
    isConnected: async () => true,
    close: async () => undefined,
  };
  const seqsTo = (connectionId: string) =>
    (sent.get(connectionId) ?? []).flatMap((posted) => ('seq' in posted && typeof posted.seq === 'number' ? [posted.seq] : []));
  return { poster, sent, seqsTo };
}

async function connect(userId: string) {
  const connectionId = `conn-${randomUUID()}`;
  await putConnection(table, { connectionId, userId, orgId: randomUUID(), role: 'clinician', connectedAt: at });
  return connectionId;
}

describe('resume', () => {
  // Admins: the escalation notices these tests push are theirs whichever patient they name.
  const recipient = (): Actor => ({ userId: randomUUID(), orgId: randomUUID(), role: 'admin' });

  it('leaves a push to a running replay, which looks again before handing the connection back', async () => {
    const connectionId = await connect(randomUUID());
    expect(await claimLiveDelivery(table, connectionId, 1)).toBe('live');
    const replay = await beginReplay(table, connectionId);
    expect(replay?.liveSeqs).toEqual(new Set([1]));
    expect(await beginReplay(table, connectionId)).toBeUndefined();
    expect(await claimLiveDelivery(table, connectionId, 2)).toBe('replaying');
    expect(await endReplay(table, connectionId, replay?.misses ?? 0)).toBe(false);
    const left = await replayMisses(table, connectionId);
    expect(left.seqs).toEqual(new Set([2]));
    expect(await endReplay(table, connectionId, left.misses)).toBe(true);
    expect(await claimLiveDelivery(table, connectionId, 3)).toBe('live');
    expect(await claimLiveDelivery(table, 'gone-connection', 4)).toBe('gone');
  });

  it('replays what was missed in order, including a push made during the replay, once each, then goes live', async () => {
    const person = recipient();
    const deps = { table, requestId: 'test' };
    let pushDuringReplay = true;
    const { poster, seqsTo } = recordingPoster(async (posted) => {
      if (pushDuringReplay && posted.type === 'alert.escalated' && posted.seq === 1) {
        pushDuringReplay = false;
        await notifyAbout({ ...deps, notifier }, randomUUID(), [{ recipient: person, message }]);
      }
    });
    const notifier = createNotifier(table, poster, new Logger());
    // Two while offline.
    await notifyAbout({ ...deps, notifier }, randomUUID(), [
      { recipient: person, message },
      { recipient: person, message },
    ]);
    const connectionId = await connect(person.userId);

    const resumed = await replayNotifications({ table, notifier }, connectionId, person, 0);
    expect(resumed).toEqual({ type: 'resumed', after: 0, replayed: 3, through: 2, complete: true });
    expect(seqsTo(connectionId)).toEqual([1, 2, 3]);

    await notifyAbout({ ...deps, notifier }, randomUUID(), [{ recipient: person, message }]);
    expect(seqsTo(connectionId)).toEqual([1, 2, 3, 4]);
    // A second resume on the same connection skips what it was sent live.
    expect(await replayNotifications({ table, notifier }, connectionId, person, 3)).toMatchObject({ replayed: 0, complete: true });
    expect(seqsTo(connectionId)).toEqual([1, 2, 3, 4]);
  });

  it('does not send again the number the client named, when nothing was missed and a push races the replay', async () => {
    const person = recipient();
    const { poster, seqsTo } = recordingPoster();
    const notifier = createNotifier(table, poster, new Logger());
    await store(person.userId, 5);
    const connectionId = await connect(person.userId);
    const racing = afterFirstLook(() =>
      notifyAbout({ table, notifier, requestId: 'test' }, randomUUID(), [{ recipient: person, message }]),
    );
    await replayNotifications({ table: racing, notifier: createNotifier(racing, poster, new Logger()) }, connectionId, person, 5);
    expect(seqsTo(connectionId)).toEqual([6]);
  });

  it('replays a lower number stored after a higher one, while the replay runs', async () => {
    const person = recipient();
    const { poster, seqsTo } = recordingPoster();
    const notifier = createNotifier(table, poster, new Logger());
    const connectionId = await connect(person.userId);
    const one = await nextSeq(table, person.userId);
    const two = await nextSeq(table, person.userId);
    await putNotification(table, { userId: person.userId, seq: two, createdAt: at, message: message(two) });
    await notifier.toUserInSequence(person.userId, two, message(two));
    const racing = afterFirstLook(async () => {
      await putNotification(table, { userId: person.userId, seq: one, createdAt: at, message: message(one) });
      await notifier.toUserInSequence(person.userId, one, message(one));
    });
    const resumed = await replayNotifications(
      { table: racing, notifier: createNotifier(racing, poster, new Logger()) },
      connectionId,
      person,
      0,
    );
    expect(resumed).toMatchObject({ type: 'resumed', complete: true });
    expect(seqsTo(connectionId)).toEqual([2, 1]);
  });

  it('hands the connection back to live pushes when a post fails during the replay', async () => {
    const person = recipient();
    let failing = false;
    const { poster, seqsTo } = recordingPoster(undefined, () => failing);
    const notifier = createNotifier(table, poster, new Logger());
    await store(person.userId, 2);
    const connectionId = await connect(person.userId);
    failing = true;
    expect(await replayNotifications({ table, notifier }, connectionId, person, 0)).toMatchObject({
      type: 'error',
      message: expect.stringContaining('interrupted'),
    });
    failing = false;
    await notifyAbout({ table, notifier, requestId: 'test' }, randomUUID(), [{ recipient: person, message }]);
    expect(seqsTo(connectionId)).toEqual([3]);
    expect(await replayNotifications({ table, notifier }, connectionId, person, 0)).toMatchObject({ type: 'resumed', replayed: 2 });
    expect(seqsTo(connectionId)).toEqual([3, 1, 2]);
  });

  it('stops replaying before its invocation runs out of time, and hands the connection back', async () => {
    const person = recipient();
    const { poster, seqsTo } = recordingPoster();
    const notifier = createNotifier(table, poster, new Logger());
    await store(person.userId, 3);
    const connectionId = await connect(person.userId);
    let remaining = 20_000;
    const resumed = await replayNotifications(
      {
        table,
        notifier: {
          ...notifier,
          toConnection: async (...args) => {
            remaining -= 8_000;
            return notifier.toConnection(...args);
          },
        },
        remainingMs: () => remaining,
      },
      connectionId,
      person,
      0,
    );
    expect(resumed).toMatchObject({ type: 'resumed', complete: false });
    expect(seqsTo(connectionId).length).toBeLessThan(3);
    await notifyAbout({ table, notifier, requestId: 'test' }, randomUUID(), [{ recipient: person, message }]);
    expect(seqsTo(connectionId).at(-1)).toBe(4);
  });

  it('refuses a number beyond the person’s latest, and says when what was missed is no longer all there', async () => {
    const person = recipient();
    const { poster } = recordingPoster();
    const notifier = createNotifier(table, poster, new Logger());
    const connectionId = await connect(person.userId);
    expect(await replayNotifications({ table, notifier }, connectionId, person, 1)).toMatchObject({
      type: 'error',
      message: expect.stringContaining('beyond your latest notification, 0'),
    });
    // Numbers 1 and 2 handed out but never stored (expired, or lost with their function).
    await nextSeq(table, person.userId);
    await nextSeq(table, person.userId);
    await store(person.userId, 1);
    expect(await replayNotifications({ table, notifier }, connectionId, person, 0)).toEqual({
      type: 'resumed',
      after: 0,
      replayed: 1,
      through: 3,
      complete: false,
    });
  });
});
