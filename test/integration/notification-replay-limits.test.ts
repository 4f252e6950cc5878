// A resume at its limits, against DynamoDB Local: the cap on what one replay sends meeting
// notifications the reader may no longer see leaves no hole in what it sent, and a number that
// was handed out but never stored does not make every push during the replay re-read the rest.
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { BatchGetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { NotificationMessage, ServerMessage } from '../../shared/api/websocket-messages.ts';
import type { Actor } from '../../shared/audit/audit-entries.ts';
import { putConnection } from '../../shared/data/connection-store.ts';
import { notificationKeys, putNotification } from '../../shared/data/notification-store.ts';
import type { TableClient } from '../../shared/data/table-client.ts';
import { MAX_REPLAYED_NOTIFICATIONS } from '../../shared/domain/notification.ts';
import { type ConnectionPoster, createNotifier } from '../../shared/realtime/connection-notifier.ts';
import { notifyAbout, replayNotifications } from '../../shared/services/notification-service.ts';
import { storedClinician, storedPatient } from './support/people.ts';
import { testTable } from './support/table.ts';

const table = testTable();
const at = new Date().toISOString();
const escalation =
  (patientId: string) =>
  (seq: number): NotificationMessage => ({
    type: 'alert.escalated',
    seq,
    alertId: randomUUID(),
    patientId,
    priority: 'high',
    escalatedAt: at,
  });

/** Stores notifications 1…`count` of `userId` (all but `skipped`), about the patient `patientOf` names. */
async function storeMany(userId: string, count: number, patientOf: (seq: number) => string, skipped: readonly number[] = []) {
  const seqs = Array.from({ length: count }, (_, index) => index + 1).filter((seq) => !skipped.includes(seq));
  for (let start = 0; start < seqs.length; start += 50) {
    await Promise.all(
      seqs
        .slice(start, start + 50)
        .map((seq) => putNotification(table, { userId, seq, createdAt: at, message: escalation(patientOf(seq))(seq) })),
    );
  }
  await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: notificationKeys.counter(userId),
      UpdateExpression: 'SET lastSeq = :last',
      ExpressionAttributeValues: { ':last': count },
    }),
  );
}

/** Records the seqs a connection was sent; `onPost` acts while one is posted. */
function recordingPoster(onPost: (seq: number) => Promise<void> = async () => undefined) {
  const sent: number[] = [];
  const poster: ConnectionPoster = {
    async post(_connectionId, posted: ServerMessage) {
      if ('seq' in posted && typeof posted.seq === 'number') {
        sent.push(posted.seq);
        await onPost(posted.seq);
      }
      return true;
    },
    isConnected: async () => true,
    close: async () => undefined,
  };
  return { poster, sent };
}

async function connect(reader: Actor) {
  const connectionId = `conn-${randomUUID()}`;
  await putConnection(table, { connectionId, userId: reader.userId, orgId: reader.orgId, role: reader.role, connectedAt: at });
  return connectionId;
}

describe('resume at its limits (DynamoDB Local)', () => {
  it('sends, up to its cap, every number the reader may still see, without a hole', async () => {
    const reader = await storedClinician(table);
    const mine = (await storedPatient(table, { orgId: reader.orgId, primaryClinicianId: reader.userId })).userId;
    const former = randomUUID();
    // 60 notifications about a patient no longer the reader's, in the middle of those about theirs.
    const patientOf = (seq: number) => (seq > MAX_REPLAYED_NOTIFICATIONS - 50 && seq <= MAX_REPLAYED_NOTIFICATIONS + 10 ? former : mine);
    const total = MAX_REPLAYED_NOTIFICATIONS + 200;
    await storeMany(reader.userId, total, patientOf);
    const { poster, sent } = recordingPoster();
    const connectionId = await connect(reader);
    const resumed = await replayNotifications({ table, notifier: createNotifier(table, poster, new Logger()) }, connectionId, reader, 0);
    expect(resumed).toMatchObject({ type: 'resumed', replayed: MAX_REPLAYED_NOTIFICATIONS, complete: false });
    const last = sent.at(-1) ?? 0;
    const expected = Array.from({ length: last }, (_, index) => index + 1).filter((seq) => patientOf(seq) === mine);
    expect(sent).toEqual(expected);
  }, 60_000);

  it('fetches only the numbers pushed during the replay, whatever number is missing for good', async () => {
    const reader: Actor = { userId: randomUUID(), orgId: randomUUID(), role: 'admin' };
    await storeMany(reader.userId, 300, () => randomUUID(), [1]);
    let itemsRead = 0;
    const counting = {
      tableName: table.tableName,
      doc: {
        send: async (command: unknown) => {
          const result = (await (table.doc.send as (sent: unknown) => Promise<unknown>)(command)) as {
            Items?: unknown[];
            Responses?: Record<string, unknown[]>;
          };
          if (command instanceof QueryCommand) itemsRead += result.Items?.length ?? 0;
          if (command instanceof BatchGetCommand) itemsRead += Object.values(result.Responses ?? {}).flat().length;
          return result;
        },
      },
    } as unknown as TableClient;
    // Twenty alerts arrive while the replay runs, one each time it sends the newest it knows of.
    let pushes = 0;
    const { poster, sent } = recordingPoster(async (seq) => {
      if (seq === 300 + pushes && pushes < 20) {
        pushes++;
        await notifyAbout({ table, notifier, requestId: 'test' }, randomUUID(), [{ recipient: reader, message: escalation(randomUUID()) }]);
      }
    });
    const notifier = createNotifier(table, poster, new Logger());
    const connectionId = await connect(reader);
    const resumed = await replayNotifications(
      { table: counting, notifier: createNotifier(counting, poster, new Logger()) },
      connectionId,
      reader,
      0,
    );
    expect(resumed).toMatchObject({ type: 'resumed', replayed: 319, through: 300, complete: false });
    expect(sent).toEqual(Array.from({ length: 319 }, (_, index) => index + 2));
    // The 299 stored, then the 20 pushed: no re-reading of what was sent.
    expect(itemsRead).toBeLessThanOrEqual(330);
  }, 60_000);
});
