// The WebSocket side: who may connect (and how many screens at once), remembering
// connections, subscriptions to patients and answering pings. Replies go back through the
// management API like any push.
import { type ClientMessage, ClientMessages, ConnectionContext, type ServerMessage } from '../api/websocket-messages.ts';
import { InvalidTokenError, type TokenVerifier } from '../auth/token-verifier.ts';
import type { Caller } from '../domain/caller.ts';
import { MAX_CONNECTIONS_PER_USER } from '../domain/connection.ts';
import { requestEntries } from '../audit/audit-entries.ts';
import { DomainError, type FieldProblem, LimitExceededError, NotFoundError } from '../domain/errors.ts';
import { writeAuditEntries } from '../data/audit-store.ts';
import { fieldProblems } from '../domain/validation.ts';
import { addSubscriptions, deleteConnection, listConnectionIdsOfUser, putConnection } from '../data/connection-store.ts';
import type { TableClient } from '../data/table-client.ts';
import type { Notifier } from '../realtime/connection-notifier.ts';
import { lookupEnabledCaller } from './caller-lookup.ts';
import { replayNotifications } from './notification-service.ts';
import { requirePatientAccess } from './patient-access-check.ts';
import { READ_ANY } from '../domain/patient-access.ts';

/** The caller behind a token, or undefined when the token is bad or has no Vigil account. */
export async function authorizeConnection(
  verifier: TokenVerifier,
  table: TableClient,
  token: string | undefined,
): Promise<Caller | undefined> {
  if (!token) return undefined;
  try {
    const { sub } = await verifier.verify(token);
    return await lookupEnabledCaller(table, sub);
  } catch (error) {
    if (error instanceof InvalidTokenError) return undefined;
    throw error;
  }
}

/** The caller from the authorizer context; a connection without one was never authorized. */
export function callerFromContext(context: unknown): Caller {
  const parsed = ConnectionContext.safeParse(context);
  if (!parsed.success) throw new Error('WebSocket event without a valid authorizer context');
  return parsed.data;
}

export interface ConnectionServiceDependencies {
  table: TableClient;
  notifier: Notifier;
  now?: () => Date;
  /** Milliseconds left in the invocation (a resume stops replaying before it runs out). */
  remainingMs?: () => number;
}

/**
 * Records a new connection, unless the caller already holds the most a person may: then the
 * refusal is returned, for $connect to answer with. Records whose $disconnect was lost would
 * count until their TTL, so before refusing, the caller's recorded connections are asked
 * after and the dead ones dropped. A soft limit: connections racing each other at $connect
 * may each see room for one more.
 */
export async function openConnection(
  deps: ConnectionServiceDependencies,
  connectionId: string,
  caller: Caller,
): Promise<LimitExceededError | undefined> {
  let open = await listConnectionIdsOfUser(deps.table, caller.userId);
  if (open.length >= MAX_CONNECTIONS_PER_USER) {
    const alive = await Promise.all(open.map(async (id) => ((await deps.notifier.isConnected(id)) ? id : undefined)));
    await Promise.all(open.filter((_, index) => alive[index] === undefined).map((id) => deleteConnection(deps.table, id)));
    open = alive.filter((id): id is string => id !== undefined);
  }
  if (open.length >= MAX_CONNECTIONS_PER_USER) {
    return new LimitExceededError(`you already have ${MAX_CONNECTIONS_PER_USER} connections open; close one first`);
  }
  const now = deps.now?.() ?? new Date();
  await putConnection(deps.table, { connectionId, ...caller, connectedAt: now.toISOString() }, now.getTime());
  return undefined;
}

export async function closeConnection(deps: ConnectionServiceDependencies, connectionId: string): Promise<void> {
  await deleteConnection(deps.table, connectionId);
}

function parseMessage(body: string | undefined): unknown {
  try {
    return JSON.parse(body ?? '');
  } catch {
    return undefined;
  }
}

const errorReply = (message: string, errors?: readonly FieldProblem[]): ServerMessage => ({
  type: 'error',
  message,
  ...(errors ? { errors: [...errors] } : {}),
});

/**
 * A client message parsed by its action's schema, with the account as it is now (not as it was
 * at connect: it may have been disabled or changed role since). Undefined, once the client was
 * told why, when either fails.
 */
async function acceptMessage<A extends 'subscribe' | 'resume'>(
  deps: ConnectionServiceDependencies,
  connectionId: string,
  connectedAs: Caller,
  action: A,
  body: string | undefined,
): Promise<{ caller: Caller; message: ClientMessage<A> } | undefined> {
  const parsed = ClientMessages[action].safeParse(parseMessage(body));
  if (!parsed.success) {
    await deps.notifier.toConnection(connectionId, errorReply(`invalid ${action} message`, fieldProblems('message', parsed.error)));
    return undefined;
  }
  const caller = await lookupEnabledCaller(deps.table, connectedAs.userId);
  if (!caller) {
    await deps.notifier.toConnection(connectionId, errorReply('this account is disabled'));
    await deps.notifier.disconnectUser(connectedAs.userId);
    return undefined;
  }
  return { caller, message: parsed.data as ClientMessage<A> };
}

/** What a subscribe asks of the audit trail: one entry per patient, allowed or refused. */
function subscribeEntries(caller: Caller, connectionId: string, outcomes: ReadonlyMap<string, number>, at: string) {
  return [...outcomes].flatMap(([patientId, outcome]) =>
    requestEntries({ actor: caller, action: 'WS subscribe', outcome, requestId: connectionId, pathPatientId: patientId, at }, new Set()),
  );
}

export async function subscribe(
  deps: ConnectionServiceDependencies,
  connectionId: string,
  connectedAs: Caller,
  body: string | undefined,
): Promise<void> {
  const accepted = await acceptMessage(deps, connectionId, connectedAs, 'subscribe', body);
  if (!accepted) return;
  const { caller, message } = accepted;
  const patientIds = [...new Set(message.patientIds)];
  const outcomes = new Map<string, number>();
  await Promise.all(
    patientIds.map((patientId) =>
      requirePatientAccess(deps.table, caller, patientId, READ_ANY).then(
        () => outcomes.set(patientId, 200),
        (error: unknown) => {
          if (!(error instanceof DomainError)) throw error;
          outcomes.set(patientId, error instanceof NotFoundError ? 404 : 403);
        },
      ),
    ),
  );
  const refused = patientIds.filter((patientId) => outcomes.get(patientId) !== 200);
  const at = (deps.now?.() ?? new Date()).toISOString();
  if (refused.length > 0) {
    await writeAuditEntries(
      deps.table,
      subscribeEntries(caller, connectionId, new Map(refused.map((id) => [id, outcomes.get(id) ?? 404])), at),
    );
    // All or nothing, so a client never believes it watches a patient it does not.
    await deps.notifier.toConnection(connectionId, errorReply(`you may not watch patients ${refused.join(', ')}`));
    return;
  }
  await writeAuditEntries(deps.table, subscribeEntries(caller, connectionId, outcomes, at));
  if (!(await addSubscriptions(deps.table, { connectionId, userId: caller.userId }, patientIds))) {
    await deps.notifier.toConnection(connectionId, errorReply('this connection is closing; reconnect and subscribe again'));
    return;
  }
  await deps.notifier.toConnection(connectionId, { type: 'subscribed', patientIds });
}

/**
 * Replays what the caller missed after the seq they name, then carries on live (see
 * notification-service: replayNotifications). Numbers are the caller's own: a number beyond
 * their latest is refused, and nobody else's notifications are ever read.
 */
export async function resume(
  deps: ConnectionServiceDependencies,
  connectionId: string,
  connectedAs: Caller,
  body: string | undefined,
): Promise<void> {
  const accepted = await acceptMessage(deps, connectionId, connectedAs, 'resume', body);
  if (!accepted) return;
  const outcome = await replayNotifications(deps, connectionId, accepted.caller, accepted.message.after);
  await deps.notifier.toConnection(connectionId, outcome);
}

export async function handleDefaultMessage(
  deps: ConnectionServiceDependencies,
  connectionId: string,
  body: string | undefined,
): Promise<void> {
  const message = parseMessage(body);
  if (ClientMessages.ping.safeParse(message).success) {
    await deps.notifier.toConnection(connectionId, { type: 'pong' });
    return;
  }
  await deps.notifier.toConnection(
    connectionId,
    errorReply(
      message === undefined
        ? 'messages must be JSON objects'
        : 'unknown action; send {"action":"subscribe",…}, {"action":"resume","after":<seq>} or {"action":"ping"}',
    ),
  );
}
