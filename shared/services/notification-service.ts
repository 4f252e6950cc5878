// Notifications: every alert push is stored for its recipient under the next number of their
// own sequence, then pushed with that number. A person reads them back as a list, marks them
// read, and a reconnecting client has what it missed replayed in order.
import { NotificationMessage, type ServerMessage } from '../api/websocket-messages.ts';
import { type Actor, pushEntries } from '../audit/audit-entries.ts';
import { noteAccessTo } from '../audit/access-notes.ts';
import type { Caller } from '../domain/caller.ts';
import { scopesOf } from '../domain/care-team.ts';
import { alertNeed, consentCovers } from '../domain/consent.ts';
import { ValidationError } from '../domain/errors.ts';
import { MAX_REPLAYED_NOTIFICATIONS, type Notification } from '../domain/notification.ts';
import { PAGE_LIMITS } from '../domain/paging.ts';
import { writeAuditEntries } from '../data/audit-store.ts';
import { getMembershipsOfMember } from '../data/care-team-store.ts';
import { abandonReplay, beginReplay, endReplay, replayMisses } from '../data/connection-store.ts';
import {
  getNotifications,
  lastSeq,
  listUnread,
  markRead,
  markReadUpTo,
  nextSeq,
  notificationsAfter,
  putNotification,
  queryNotifications,
} from '../data/notification-store.ts';
import type { CursorCodec } from '../data/paging-cursor.ts';
import type { TableClient } from '../data/table-client.ts';
import type { Notifier } from '../realtime/connection-notifier.ts';

export interface NotifyDependencies {
  table: TableClient;
  notifier: Notifier;
  /** The invocation the push happens in, for its audit entries. */
  requestId?: string;
  now?: () => Date;
}

/** Whom to tell, and what: the message is built once the recipient's number is known. */
export interface NotificationFor {
  recipient: Actor;
  message: (seq: number) => NotificationMessage;
}

/**
 * Tells each recipient about a patient's alert: the audit trail first (nobody learns of a
 * patient's data without a record of it), then each notification stored under its number, then
 * pushed to the recipient's live connections. Answers what was stored, per recipient.
 */
export async function notifyAbout(
  deps: NotifyDependencies,
  patientId: string,
  notifications: readonly NotificationFor[],
  objectId?: string,
): Promise<Array<{ recipient: Actor; seq: number; message: NotificationMessage }>> {
  if (notifications.length === 0) return [];
  const at = (deps.now?.() ?? new Date()).toISOString();
  const audited = writeAuditEntries(
    deps.table,
    notifications.flatMap(({ recipient, message }) =>
      pushEntries({
        recipients: [recipient],
        messageType: message(0).type,
        patientId,
        ...(objectId === undefined ? {} : { objectId }),
        requestId: deps.requestId ?? 'unknown',
        at,
      }),
    ),
  );
  // Numbering discloses nothing, so it runs beside the audit write; storing and pushing wait for both.
  const [, seqs] = await Promise.all([audited, Promise.all(notifications.map(({ recipient }) => nextSeq(deps.table, recipient.userId)))]);
  return Promise.all(
    notifications.map(async ({ recipient, message: build }, index) => {
      const seq = seqs[index] as number;
      const message = build(seq);
      await putNotification(deps.table, { userId: recipient.userId, seq, createdAt: at, message });
      await deps.notifier.toUserInSequence(recipient.userId, seq, message);
      return { recipient, seq, message };
    }),
  );
}

export interface NotificationDependencies {
  table: TableClient;
  cursors: CursorCodec;
  now?: () => Date;
}

/**
 * The message as it was pushed, its fields in the protocol's order (the table keeps a map's
 * keys in no order). One stored before the protocol changed is handed on as stored.
 */
function pushedMessage(notification: Notification): NotificationMessage {
  const parsed = NotificationMessage.safeParse(notification.message);
  return parsed.success ? parsed.data : (notification.message as NotificationMessage);
}

/** A notification as its owner reads it: what was pushed, when, and whether it was read. */
export function publicNotification(notification: Notification) {
  return {
    ...pushedMessage(notification),
    seq: notification.seq,
    createdAt: notification.createdAt,
    read: notification.readAt !== undefined,
    ...(notification.readAt === undefined ? {} : { readAt: notification.readAt }),
  };
}

export interface NotificationListRequest {
  unread?: boolean;
  limit?: number;
  cursor?: string;
}

/** The caller's own notifications, newest first; only unread ones when asked. */
export async function listNotifications(deps: NotificationDependencies, caller: Caller, request: NotificationListRequest) {
  const unread = request.unread === true;
  const scope = `notifications|${caller.userId}|${unread}`;
  const before = request.cursor === undefined ? undefined : Number(deps.cursors.decode(request.cursor, scope));
  const page = await queryNotifications(deps.table, caller.userId, {
    unread,
    limit: request.limit ?? PAGE_LIMITS.default,
    ...(before === undefined ? {} : { before }),
  });
  const items = (await stillVisible(deps.table, caller, page.items)).map(publicNotification);
  // Reading them back shows the patients' alerts again: each patient goes in the audit trail.
  noteAccessTo(...items.map((item) => (item.type === 'alert.escalated' ? item.patientId : item.alert.patientId)));
  return {
    items,
    ...(page.nextBefore === undefined ? {} : { nextCursor: deps.cursors.encode(String(page.nextBefore), scope) }),
  };
}

/** The caller's unread notifications that they may still see (as the list shows them). */
async function countVisibleUnread(table: TableClient, caller: Caller): Promise<number> {
  return (await stillVisible(table, caller, await listUnread(table, caller.userId))).length;
}

export async function unreadCount(deps: Pick<NotificationDependencies, 'table'>, caller: Caller) {
  const [unread, last] = await Promise.all([countVisibleUnread(deps.table, caller), lastSeq(deps.table, caller.userId)]);
  return { unread, lastSeq: last };
}

export type MarkReadRequest = { upToSeq: number } | { seqs: number[] };

/** Marks the caller's own notifications read, by number; numbers of nothing unread are fine. */
export async function markNotificationsRead(
  deps: Pick<NotificationDependencies, 'table' | 'now'>,
  caller: Caller,
  request: MarkReadRequest,
) {
  const at = (deps.now?.() ?? new Date()).toISOString();
  const marked =
    'upToSeq' in request
      ? await markReadUpTo(deps.table, caller.userId, request.upToSeq, at)
      : await markRead(deps.table, caller.userId, request.seqs, at);
  return { marked, unread: await countVisibleUnread(deps.table, caller) };
}

/** The patient a notification is about. */
const patientOf = (message: NotificationMessage) => (message.type === 'alert.escalated' ? message.patientId : message.alert.patientId);

/**
 * The notifications `reader` may still see: what was pushed to them then, within who they are to
 * the patient now. A clinician or caregiver taken off the care team, or a caregiver whose
 * consent no longer covers the alert, reads back nothing of it (as GET /v1/alerts would answer).
 */
async function stillVisible(table: TableClient, reader: Actor, notifications: readonly Notification[]): Promise<Notification[]> {
  if (reader.role === 'admin') return [...notifications];
  if (reader.role === 'patient') return notifications.filter((notification) => patientOf(pushedMessage(notification)) === reader.userId);
  const messages = notifications.map(pushedMessage);
  const memberships = await getMembershipsOfMember(table, reader.userId, messages.map(patientOf));
  return notifications.filter((_, index) => {
    const message = messages[index] as NotificationMessage;
    const membership = memberships.get(patientOf(message));
    if (membership?.memberRole !== reader.role) return false;
    if (reader.role === 'clinician') return true;
    return message.alert !== undefined && consentCovers(scopesOf(membership), alertNeed(message.alert));
  });
}

export interface ReplayDependencies {
  table: TableClient;
  notifier: Notifier;
  now?: () => Date;
  /** Milliseconds left before the invocation must stop; a replay stops sending well before. */
  remainingMs?: () => number;
}

/** Time a replay leaves its invocation to hand the connection back and answer. */
const REPLAY_TIME_RESERVE_MS = 5_000;

/** How many stored notifications one query of a replay reads. */
const REPLAY_PAGE = 100;

class ReplayInterrupted extends Error {
  override name = 'ReplayInterrupted';
}

/** What a replay sends goes in the audit trail first, as any push does: one entry per patient and kind. */
async function auditReplay(deps: ReplayDependencies, reader: Actor, connectionId: string, notifications: readonly Notification[]) {
  const groups = new Map<string, { patientId: string; type: string }>();
  for (const message of notifications.map(pushedMessage))
    groups.set(`${patientOf(message)} ${message.type}`, { patientId: patientOf(message), type: message.type });
  const at = (deps.now?.() ?? new Date()).toISOString();
  await writeAuditEntries(
    deps.table,
    [...groups.values()].flatMap(({ patientId, type }) =>
      pushEntries({ recipients: [reader], messageType: type, patientId, requestId: connectionId, at, via: 'resume' }),
    ),
  );
}

/**
 * Replays to one connection what its user was sent after `after`, in order, then hands the
 * connection back to live pushes. It reads what is stored after `after`; a push made while it
 * runs leaves its notification to it and names its number on the connection
 * (connection-store: claimLiveDelivery), and before handing back the replay checks that none
 * was left since it last looked, fetching exactly those named if one was. Notifications the
 * connection was already sent live are skipped, and so are those the reader may no longer see.
 * A replay stopped by its limit, its invocation's time or a failed post hands the connection
 * back at once and says so. Answers the `resumed` message, or an error message.
 */
export async function replayNotifications(
  deps: ReplayDependencies,
  connectionId: string,
  reader: Actor,
  after: number,
): Promise<ServerMessage> {
  const through = await lastSeq(deps.table, reader.userId);
  if (after > through) {
    return { type: 'error', message: `after ${after} is beyond your latest notification, ${through}; resume after a number you were sent` };
  }
  const replay = await beginReplay(deps.table, connectionId);
  if (!replay) return { type: 'error', message: 'a resume is already running on this connection' };
  const outOfTime = () => deps.remainingMs !== undefined && deps.remainingMs() < REPLAY_TIME_RESERVE_MS;
  // Sent live before, replayed now, or withheld: either way not to be sent (again).
  const done = new Set(replay.liveSeqs);
  let replayed = 0;

  /** Sends what of `candidates` (in order) the reader may see; false when stopped short by the limit or the time. */
  const deal = async (candidates: readonly Notification[]): Promise<boolean> => {
    const visible = new Set((await stillVisible(deps.table, reader, candidates)).map((notification) => notification.seq));
    const handled: Notification[] = [];
    let toSend = 0;
    for (const notification of candidates) {
      if (visible.has(notification.seq) && replayed + toSend >= MAX_REPLAYED_NOTIFICATIONS) break;
      if (visible.has(notification.seq)) toSend++;
      handled.push(notification);
    }
    await auditReplay(
      deps,
      reader,
      connectionId,
      handled.filter((notification) => visible.has(notification.seq)),
    );
    for (const notification of handled) {
      if (visible.has(notification.seq)) {
        if (outOfTime()) return false;
        if (!(await deps.notifier.toConnection(connectionId, pushedMessage(notification)))) throw new ReplayInterrupted();
        replayed++;
      }
      done.add(notification.seq);
    }
    return handled.length === candidates.length;
  };

  try {
    let complete = true;
    for (let highest = after; ; ) {
      const page = await notificationsAfter(deps.table, reader.userId, highest, REPLAY_PAGE);
      if (!(await deal(page.filter((notification) => !done.has(notification.seq))))) {
        complete = false;
        break;
      }
      highest = page.at(-1)?.seq ?? highest;
      if (page.length < REPLAY_PAGE) break;
    }
    let misses = replay.misses;
    while (complete && !(await endReplay(deps.table, connectionId, misses))) {
      const left = await replayMisses(deps.table, connectionId);
      misses = left.misses;
      const pending = [...left.seqs].filter((seq) => seq > after && !done.has(seq));
      complete = await deal(await getNotifications(deps.table, reader.userId, pending));
    }
    if (!complete) {
      // The rest is for GET /v1/notifications, or another resume: hand the connection back as it is.
      await abandonReplay(deps.table, connectionId);
      return { type: 'resumed', after, replayed, through, complete: false };
    }
    return { type: 'resumed', after, replayed, through, complete: allDone(done, after, through) };
  } catch (error) {
    await abandonReplay(deps.table, connectionId);
    if (error instanceof ReplayInterrupted) {
      return { type: 'error', message: 'the replay was interrupted; resume again after the last seq you received' };
    }
    throw error;
  }
}

function allDone(done: ReadonlySet<number>, after: number, through: number): boolean {
  for (let seq = after + 1; seq <= through; seq++) if (!done.has(seq)) return false;
  return true;
}

/** Refuses a read request that is neither form. */
export function assertReadRequest(request: Partial<{ upToSeq: number; seqs: number[] }>): MarkReadRequest {
  if (request.upToSeq !== undefined) return { upToSeq: request.upToSeq };
  if (request.seqs !== undefined) return { seqs: request.seqs };
  throw new ValidationError('give upToSeq or seqs', [{ path: 'body', message: 'give upToSeq or seqs' }]);
}
