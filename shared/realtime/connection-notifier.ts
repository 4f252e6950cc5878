// Pushes messages to WebSocket connections through the API Gateway management API. A
// connection API Gateway no longer knows (410 GoneException) is removed from the table:
// the dead recipient's record, never the sender's.
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { ServerMessage } from '../api/websocket-messages.ts';
import { ENV, requireEnv } from '../config/env.ts';
import { claimLiveDelivery, deleteConnection, listConnectionIdsOfUser, listSubscribers } from '../data/connection-store.ts';
import type { TableClient } from '../data/table-client.ts';

export interface ConnectionPoster {
  /** Resolves true when delivered, false when the connection is gone. */
  post(connectionId: string, message: ServerMessage): Promise<boolean>;
  /** Whether API Gateway still holds the connection open. */
  isConnected(connectionId: string): Promise<boolean>;
  /** Closes the connection; one already gone is fine. */
  close(connectionId: string): Promise<void>;
}

export function isGoneError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as Error & { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'GoneException' || status === 410;
}

async function unlessGone(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (isGoneError(error)) return false;
    throw error;
  }
}

export function createConnectionPoster(client: ApiGatewayManagementApiClient): ConnectionPoster {
  return {
    post: (connectionId, message) =>
      unlessGone(() => client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(message) }))),
    isConnected: (connectionId) => unlessGone(() => client.send(new GetConnectionCommand({ ConnectionId: connectionId }))),
    close: async (connectionId) => {
      await unlessGone(() => client.send(new DeleteConnectionCommand({ ConnectionId: connectionId })));
    },
  };
}

let posterFromEnv: ConnectionPoster | undefined;
export function connectionPosterFromEnv(): ConnectionPoster {
  posterFromEnv ??= createConnectionPoster(new ApiGatewayManagementApiClient({ endpoint: requireEnv(ENV.wsManagementEndpoint) }));
  return posterFromEnv;
}

export interface Delivery {
  delivered: number;
  gone: number;
}

export interface Notifier {
  /**
   * Pushes a stored notification (number `seq` of the user's sequence) to each of the user's
   * connections that is live; one where a resume is running is left to that resume, which sends
   * it in order. Either way each connection gets it once.
   */
  toUserInSequence(userId: string, seq: number, message: ServerMessage): Promise<Delivery>;
  /**
   * Pushes to the connections watching a patient whose users `audience` lets through: it is
   * asked with the watching users and answers with those who may receive this message now.
   */
  toPatientSubscribers(
    patientId: string,
    message: ServerMessage,
    audience: (watchers: readonly string[]) => Promise<ReadonlySet<string>>,
  ): Promise<Delivery>;
  toConnection(connectionId: string, message: ServerMessage): Promise<boolean>;
  isConnected(connectionId: string): Promise<boolean>;
  /** Closes every connection of a user (a disabled account) and forgets them. */
  disconnectUser(userId: string): Promise<void>;
}

/** `logger`: the function's logger, so a failed push is logged with the invocation's request id. */
export function createNotifier(table: TableClient, poster: ConnectionPoster, logger: Logger): Notifier {
  const log = logger.createChild({ persistentKeys: { module: 'connection-notifier' } });
  const deliver = async (connectionIds: string[], message: ServerMessage) => {
    let delivered = 0;
    let gone = 0;
    await Promise.all(
      connectionIds.map(async (connectionId) => {
        try {
          if (await poster.post(connectionId, message)) {
            delivered++;
          } else {
            gone++;
            await deleteConnection(table, connectionId);
          }
        } catch (error) {
          // One unreachable screen must not stop the others from hearing about an alert.
          log.warn('push to connection failed', { connectionId, error: (error as Error).name });
        }
      }),
    );
    return { delivered, gone };
  };
  return {
    async toUserInSequence(userId, seq, message) {
      const connections = await listConnectionIdsOfUser(table, userId);
      const claims = await Promise.all(connections.map((connectionId) => claimLiveDelivery(table, connectionId, seq)));
      return deliver(
        connections.filter((_, index) => claims[index] === 'live'),
        message,
      );
    },
    async toPatientSubscribers(patientId, message, audience) {
      const subscribers = await listSubscribers(table, patientId);
      if (subscribers.length === 0) return { delivered: 0, gone: 0 };
      const allowed = await audience([...new Set(subscribers.map((subscriber) => subscriber.userId))]);
      return deliver(
        subscribers.filter((subscriber) => allowed.has(subscriber.userId)).map((subscriber) => subscriber.connectionId),
        message,
      );
    },
    async toConnection(connectionId, message) {
      const { delivered } = await deliver([connectionId], message);
      return delivered === 1;
    },
    isConnected: (connectionId) => poster.isConnected(connectionId),
    async disconnectUser(userId) {
      const ids = await listConnectionIdsOfUser(table, userId);
      await Promise.all(
        ids.map(async (connectionId) => {
          await poster.close(connectionId);
          await deleteConnection(table, connectionId);
        }),
      );
    },
  };
}
