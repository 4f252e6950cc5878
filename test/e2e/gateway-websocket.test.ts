// The local WebSocket API behaves like API Gateway's: REQUEST authorizer on $connect with its
// context on every later event, route selection, @connections, frame and idle limits.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  ApiGatewayManagementApiClient,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { WEBSOCKET_FUNCTIONS } from '../../shared/api/function-catalog.ts';
import { startLocalTwin, type LocalTwin } from '../support/local-twin.ts';
import { fixtureHandlerModules } from '../support/handler-fixtures.ts';
import { signInNewCognitoUser, type SignedInUser } from '../support/cognito-users.ts';
import { clearRecordedEvents, recordedEvents } from '../support/fixtures/recorded-events.ts';

const IDLE_TIMEOUT_MS = 1_500;
let twin: LocalTwin;
let user: SignedInUser;
let management: ApiGatewayManagementApiClient;

beforeAll(async () => {
  twin = await startLocalTwin({
    handlerModules: fixtureHandlerModules({
      [WEBSOCKET_FUNCTIONS.wsAuthorizer.entry]: 'ws-authorizer.ts',
      [WEBSOCKET_FUNCTIONS.wsConnections.entry]: 'ws-connections.ts',
    }),
    wsIdleTimeoutMs: IDLE_TIMEOUT_MS,
    log: () => undefined,
  });
  user = await signInNewCognitoUser(twin.state, ['clinician']);
  management = new ApiGatewayManagementApiClient({
    endpoint: twin.managementEndpoint,
    region: twin.state.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  management?.destroy();
  await twin?.stop();
});

beforeEach(() => clearRecordedEvents());

interface Client {
  readonly socket: WebSocket;
  readonly messages: string[];
  next(): Promise<string>;
  closed: Promise<{ code: number }>;
}

async function connect(token: string): Promise<Client> {
  const socket = new WebSocket(`${twin.wsUrl}/?token=${encodeURIComponent(token)}`);
  const messages: string[] = [];
  const waiters: Array<(message: string) => void> = [];
  socket.on('message', (data) => {
    const text = data.toString();
    const waiter = waiters.shift();
    if (waiter) waiter(text);
    else messages.push(text);
  });
  const closed = new Promise<{ code: number }>((resolve) => socket.on('close', (code) => resolve({ code })));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(new Error(`status ${response.statusCode}`)));
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    closed,
    next: () => {
      const queued = messages.shift();
      return queued !== undefined ? Promise.resolve(queued) : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

interface Recorded {
  requestContext: { routeKey: string; eventType: string; connectionId: string; authorizer?: Record<string, unknown> };
}

const events = () => recordedEvents('ws-connections') as Recorded[];

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('WebSocket authorizer', () => {
  it('passes the authorizer context to $connect, every message route and $disconnect', async () => {
    const client = await connect(user.accessToken);
    client.socket.send(JSON.stringify({ action: 'subscribe', patientIds: [] }));
    const subscribed = JSON.parse(await client.next()) as { routeKey: string; authorizer: Record<string, unknown> };
    client.socket.send('not json at all');
    const fallback = JSON.parse(await client.next()) as { routeKey: string };
    client.socket.send(JSON.stringify({ action: 'no-such-route' }));
    const unknownAction = JSON.parse(await client.next()) as { routeKey: string };
    const objectKeys: string[] = [];
    for (const action of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      client.socket.send(JSON.stringify({ action }));
      objectKeys.push((JSON.parse(await client.next()) as { routeKey: string }).routeKey);
    }
    client.socket.close();
    await waitFor(() => events().find((event) => event.requestContext.routeKey === '$disconnect'));

    expect(subscribed.routeKey).toBe('subscribe');
    expect(fallback.routeKey).toBe('$default');
    expect(unknownAction.routeKey).toBe('$default');
    // Actions that name properties of every object reach $default, as in AWS.
    expect(objectKeys).toEqual(['$default', '$default', '$default', '$default']);
    const routeKeys = events().map((event) => event.requestContext.routeKey);
    expect(routeKeys).toEqual(['$connect', 'subscribe', '$default', '$default', ...objectKeys, '$disconnect']);
    for (const event of events()) {
      expect(event.requestContext.authorizer).toMatchObject({ userId: user.sub, role: 'clinician', principalId: user.sub });
    }
    expect(recordedEvents('ws-authorizer')).toHaveLength(1);
    expect(recordedEvents('ws-authorizer')[0]).toMatchObject({
      type: 'REQUEST',
      requestContext: { routeKey: '$connect', eventType: 'CONNECT' },
    });
  });

  it('refuses the upgrade with 401 for a bad token, 403 for a Deny policy and 500 when the authorizer fails', async () => {
    await expect(connect('not-a-token')).rejects.toThrow('status 401');
    await expect(connect('deny')).rejects.toThrow('status 403');
    await expect(connect('crash')).rejects.toThrow('status 500');
    expect(events()).toHaveLength(0);
  });
});

describe('@connections management API', () => {
  it('delivers PostToConnection from the real SDK client and reports the connection', async () => {
    const client = await connect(user.accessToken);
    const connectionId = events()[0]?.requestContext.connectionId ?? '';
    await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify({ type: 'pong' }) }));
    expect(JSON.parse(await client.next())).toEqual({ type: 'pong' });
    const info = await management.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    expect(info.ConnectedAt).toBeInstanceOf(Date);
    client.socket.close();
    await client.closed;
  });

  it('answers 410 so the SDK throws GoneException for a closed connection', async () => {
    const client = await connect(user.accessToken);
    const connectionId = events()[0]?.requestContext.connectionId ?? '';
    client.socket.close();
    await client.closed;
    await waitFor(() => (twin.webSocketGateway.connectionIds().includes(connectionId) ? undefined : true));
    const attempt = management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'late' }));
    await expect(attempt).rejects.toBeInstanceOf(GoneException);
    await expect(management.send(new PostToConnectionCommand({ ConnectionId: 'never+existed/=', Data: 'x' }))).rejects.toBeInstanceOf(
      GoneException,
    );
  });
});

describe('WebSocket limits', () => {
  it('closes the connection with 1009 when a message exceeds 128 KB', async () => {
    const client = await connect(user.accessToken);
    client.socket.send(JSON.stringify({ action: 'subscribe', padding: 'x'.repeat(128 * 1024) }));
    expect((await client.closed).code).toBe(1009);
  });

  it('closes a connection that stays idle past the idle timeout', async () => {
    const client = await connect(user.accessToken);
    const started = Date.now();
    const { code } = await client.closed;
    expect(code).toBe(1001);
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_TIMEOUT_MS - 100);
    await waitFor(() => events().find((event) => event.requestContext.routeKey === '$disconnect'));
  });
});
