// The WebSocket side: who may connect, remembering connections, subscriptions to patients
// and answering pings. Replies go back through the management API like any push.
import type { AccessTokenVerifier } from '../auth/token-verifier.ts';
import { InvalidTokenError } from '../auth/token-verifier.ts';
import { ConnectionContext, PingMessage, SubscribeMessage } from '../api/websocket-messages.ts';
import { fieldProblems } from '../http/request-validation.ts';
import type { Caller } from '../domain/caller.ts';
import { HttpError } from '../http/errors.ts';
import { addSubscriptions, deleteConnection, putConnection } from '../data/connection-store.ts';
import type { TableClient } from '../data/table-client.ts';
import { getUser } from '../data/user-store.ts';
import type { Notifier } from './connection-notifier.ts';
import { requirePatientAccess } from '../services/patient-access-check.ts';

/** The caller behind a token, or undefined when the token is bad or has no Vigil account. */
export async function authorizeConnection(
  verifier: AccessTokenVerifier,
  table: TableClient,
  token: string | undefined,
): Promise<Caller | undefined> {
  if (!token) return undefined;
  try {
    const { sub } = await verifier.verify(token);
    const user = await getUser(table, sub);
    return user ? { userId: user.userId, orgId: user.orgId, role: user.role } : undefined;
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
}

export async function openConnection(deps: ConnectionServiceDependencies, connectionId: string, caller: Caller): Promise<void> {
  const now = deps.now?.() ?? new Date();
  await putConnection(deps.table, { connectionId, ...caller, connectedAt: now.toISOString() }, now.getTime());
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

const errorReply = (message: string, errors?: Array<{ path: string; message: string }>) => ({
  type: 'error',
  message,
  ...(errors ? { errors } : {}),
});

export async function subscribe(
  deps: ConnectionServiceDependencies,
  connectionId: string,
  caller: Caller,
  body: string | undefined,
): Promise<void> {
  const parsed = SubscribeMessage.safeParse(parseMessage(body));
  if (!parsed.success) {
    await deps.notifier.toConnection(connectionId, errorReply('invalid subscribe message', fieldProblems('body', parsed.error)));
    return;
  }
  const patientIds = [...new Set(parsed.data.patientIds)];
  const refused: string[] = [];
  for (const patientId of patientIds) {
    try {
      await requirePatientAccess(deps.table, caller, patientId, 'read');
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      refused.push(patientId);
    }
  }
  if (refused.length > 0) {
    // All or nothing, so a client never believes it watches a patient it does not.
    await deps.notifier.toConnection(connectionId, errorReply(`you may not watch patients ${refused.join(', ')}`));
    return;
  }
  if (!(await addSubscriptions(deps.table, { connectionId, userId: caller.userId }, patientIds))) {
    await deps.notifier.toConnection(connectionId, errorReply('this connection is closing; reconnect and subscribe again'));
    return;
  }
  await deps.notifier.toConnection(connectionId, { type: 'subscribed', patientIds });
}

export async function handleDefaultMessage(
  deps: ConnectionServiceDependencies,
  connectionId: string,
  body: string | undefined,
): Promise<void> {
  const message = parseMessage(body);
  if (PingMessage.safeParse(message).success) {
    await deps.notifier.toConnection(connectionId, { type: 'pong' });
    return;
  }
  await deps.notifier.toConnection(
    connectionId,
    errorReply(
      message === undefined ? 'messages must be JSON objects' : 'unknown action; send {"action":"subscribe",…} or {"action":"ping"}',
    ),
  );
}
