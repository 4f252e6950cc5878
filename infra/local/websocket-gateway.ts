// The WebSocket API half of the local API Gateway: the REQUEST authorizer on $connect, route
// selection on the body's `action`, the authorizer context carried on every later event of
// the connection, API Gateway's frame and time limits, and the @connections management API
// that ApiGatewayManagementApiClient calls.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { FunctionDefinition } from '../../shared/api/function-catalog.ts';
import { type GatewayOutcome, withinIntegrationTimeout } from './integration-timeout.ts';
import { type FunctionToInvoke, functionToInvoke, type InvocationOutcome } from './lambda-runtime.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './local-aws.ts';

/** API Gateway's WebSocket limits. */
export const WEBSOCKET_API_LIMITS = {
  maxMessageBytes: 128 * 1024,
  idleTimeoutMs: 10 * 60 * 1000,
  maxConnectionMs: 2 * 60 * 60 * 1000,
  integrationTimeoutMs: 29_000,
} as const;

export interface WebSocketGatewayOptions {
  /** Route key ($connect, $disconnect, $default, custom actions) → function name. */
  readonly routes: Readonly<Record<string, string>>;
  readonly functions: Readonly<Record<string, FunctionDefinition>>;
  /** The function API Gateway calls as the $connect REQUEST authorizer. */
  readonly authorizerFunction: string;
  readonly routeSelectionField: string;
  readonly invoke: (fn: FunctionToInvoke, event: unknown) => Promise<InvocationOutcome>;
  readonly apiId?: string;
  readonly stage?: string;
  readonly idleTimeoutMs?: number;
  readonly maxConnectionMs?: number;
  readonly integrationTimeoutMs?: number;
  readonly log?: (message: string) => void;
}

export interface WebSocketGateway {
  readonly server: Server;
  /** Open connections by id, for tests and diagnostics. */
  readonly connectionIds: () => string[];
  close(): Promise<void>;
}

interface Connection {
  readonly id: string;
  readonly socket: WebSocket;
  readonly connectedAt: number;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly headers: Record<string, string>;
  readonly authorizer: Record<string, unknown>;
  lastActiveAt: number;
  idleTimer?: NodeJS.Timeout;
  lifetimeTimer?: NodeJS.Timeout;
}

interface AuthorizerResult {
  principalId?: unknown;
  policyDocument?: { Statement?: Array<{ Effect?: unknown }> };
  context?: Record<string, unknown>;
}

export function createWebSocketGateway(options: WebSocketGatewayOptions): WebSocketGateway {
  const apiId = options.apiId ?? 'vigil-local-ws';
  const stage = options.stage ?? 'local';
  const idleTimeoutMs = options.idleTimeoutMs ?? WEBSOCKET_API_LIMITS.idleTimeoutMs;
  const maxConnectionMs = options.maxConnectionMs ?? WEBSOCKET_API_LIMITS.maxConnectionMs;
  const timeoutMs = options.integrationTimeoutMs ?? WEBSOCKET_API_LIMITS.integrationTimeoutMs;
  const log = options.log ?? ((message: string) => console.error(message));
  const connections = new Map<string, Connection>();
  // ws closes a connection whose message exceeds maxPayload with 1009 (Message Too Big).
  const wss = new WebSocketServer({ noServer: true, maxPayload: WEBSOCKET_API_LIMITS.maxMessageBytes });
  const server = createServer((request, response) => {
    handleManagement(request, response).catch((error: unknown) => {
      log(`[ws] management ${request.method} ${request.url} failed: ${String(error)}`);
      if (!response.headersSent) sendJson(response, 500, { message: 'Internal server error' });
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(request, socket, head).catch((error: unknown) => {
      log(`[ws] upgrade failed: ${String(error)}`);
      rejectUpgrade(socket, 500);
    });
  });

  // Maps, not the option objects: an action such as "__proto__" or "toString" must find no route.
  const routes = new Map(Object.entries(options.routes));
  const functions = new Map(Object.entries(options.functions));
  const invokeFunction = (name: string, event: unknown): Promise<GatewayOutcome> => {
    const definition = functions.get(name);
    if (definition === undefined) throw new Error(`no function ${name}`);
    return withinIntegrationTimeout(options.invoke(functionToInvoke(name, definition), event), timeoutMs);
  };
  const invoke = (routeKey: string, event: unknown): Promise<GatewayOutcome> => {
    const name = routes.get(routeKey);
    if (name === undefined) throw new Error(`no function for WebSocket route ${routeKey}`);
    return invokeFunction(name, event);
  };

  const baseContext = (
    connectionId: string,
    connectedAt: number,
    domainName: string,
    identity: { sourceIp: string; userAgent: string },
  ) => {
    const now = Date.now();
    return {
      stage,
      apiId,
      domainName,
      connectionId,
      connectedAt,
      requestId: randomUUID(),
      extendedRequestId: randomUUID(),
      requestTime: new Date(now).toUTCString(),
      requestTimeEpoch: now,
      messageDirection: 'IN',
      identity,
    };
  };

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const started = performance.now();
    // One line per connection attempt; the path only, never the token in the query.
    const logConnect = (status: number) => log(`[ws] CONNECT ${url.pathname} ${status} ${Math.round(performance.now() - started)} ms`);
    const refuse = (status: number) => {
      logConnect(status);
      rejectUpgrade(socket, status);
    };
    const headers = singleValueHeaders(request);
    const query = queryParameters(url.searchParams);
    const identity = {
      sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      userAgent: headers['user-agent'] ?? '',
    };
    const domainName = headers['host'] ?? 'localhost';
    const connectionId = newConnectionId();
    const connectedAt = Date.now();

    const authorizerName = options.authorizerFunction;
    const authorizerEvent = {
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${apiId}/${stage}/$connect`,
      headers,
      ...query,
      stageVariables: {},
      requestContext: { ...baseContext(connectionId, connectedAt, domainName, identity), routeKey: '$connect', eventType: 'CONNECT' },
    };
    const authorization = await invokeFunction(authorizerName, authorizerEvent);
    if (authorization.kind !== 'result') {
      // A thrown "Unauthorized" is how Lambda authorizers refuse: API Gateway answers 401. Any
      // other failure (a crash, a timeout) is the authorizer's own error: 500.
      const refused =
        authorization.kind === 'error' && authorization.error instanceof Error && authorization.error.message === 'Unauthorized';
      if (!refused)
        log(
          `[ws] $connect authorizer ${authorizerName} failed: ${authorization.kind === 'error' ? String(authorization.error) : 'timed out'}`,
        );
      refuse(refused ? 401 : 500);
      return;
    }
    const policy = authorization.value as AuthorizerResult | undefined;
    const effects = policy?.policyDocument?.Statement?.map((statement) => statement.Effect) ?? [];
    if (effects.length === 0 || effects.some((effect) => effect !== 'Allow')) {
      refuse(effects.includes('Deny') ? 403 : 401);
      return;
    }
    const authorizer: Record<string, unknown> = {
      ...(policy?.context ?? {}),
      principalId: policy?.principalId,
      integrationLatency: Date.now() - connectedAt,
    };

    const connectOutcome = await invoke('$connect', {
      headers,
      ...query,
      requestContext: {
        ...baseContext(connectionId, connectedAt, domainName, identity),
        routeKey: '$connect',
        eventType: 'CONNECT',
        authorizer,
      },
      isBase64Encoded: false,
    });
    const connectStatus = statusOf(connectOutcome);
    if (connectStatus < 200 || connectStatus > 299) {
      if (connectOutcome.kind === 'error') log(`[ws] $connect threw: ${String(connectOutcome.error)}`);
      refuse(connectStatus);
      return;
    }

    wss.handleUpgrade(request, socket, head, (ws) => {
      logConnect(101);
      const connection: Connection = {
        id: connectionId,
        socket: ws,
        connectedAt,
        lastActiveAt: Date.now(),
        headers,
        authorizer,
        ...identity,
      };
      connections.set(connectionId, connection);
      touch(connection);
      connection.lifetimeTimer = setTimeout(() => ws.close(1001, 'Going away'), maxConnectionMs);
      ws.on('message', (data, isBinary) => {
        touch(connection);
        onMessage(connection, data, isBinary, domainName).catch((error: unknown) => log(`[ws] message handling failed: ${String(error)}`));
      });
      ws.on('ping', () => touch(connection));
      ws.on('error', (error) => log(`[ws] connection ${connectionId}: ${error.message}`));
      ws.on('close', (code, reason) => {
        clearTimeout(connection.idleTimer);
        clearTimeout(connection.lifetimeTimer);
        connections.delete(connectionId);
        void invoke('$disconnect', {
          headers,
          requestContext: {
            ...baseContext(connectionId, connectedAt, domainName, identity),
            routeKey: '$disconnect',
            eventType: 'DISCONNECT',
            disconnectStatusCode: code,
            disconnectReason: reason.toString('utf8'),
            authorizer,
          },
          isBase64Encoded: false,
        }).then((outcome) => {
          if (outcome.kind === 'error') log(`[ws] $disconnect threw: ${String(outcome.error)}`);
        });
      });
    });
  }

  function touch(connection: Connection): void {
    connection.lastActiveAt = Date.now();
    clearTimeout(connection.idleTimer);
    connection.idleTimer = setTimeout(() => connection.socket.close(1001, 'Going away'), idleTimeoutMs);
  }

  async function onMessage(connection: Connection, data: RawData, isBinary: boolean, domainName: string): Promise<void> {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    const body = isBinary ? buffer.toString('base64') : buffer.toString('utf8');
    const routeKey = isBinary ? '$default' : selectRoute(body);
    const context = {
      ...baseContext(connection.id, connection.connectedAt, domainName, { sourceIp: connection.sourceIp, userAgent: connection.userAgent }),
    };
    if (routeKey === undefined) {
      sendIfOpen(connection, JSON.stringify({ message: 'Forbidden', connectionId: connection.id, requestId: context.requestId }));
      return;
    }
    const outcome = await invoke(routeKey, {
      requestContext: { ...context, routeKey, eventType: 'MESSAGE', messageId: newConnectionId(), authorizer: connection.authorizer },
      body,
      isBase64Encoded: isBinary,
    });
    if (outcome.kind !== 'result') {
      if (outcome.kind === 'error') log(`[ws] ${routeKey} threw: ${String(outcome.error)}`);
      sendIfOpen(
        connection,
        JSON.stringify({ message: 'Internal server error', connectionId: connection.id, requestId: context.requestId }),
      );
      return;
    }
    // A route response: API Gateway sends the integration's body back when there is one.
    const value = outcome.value as { body?: unknown } | undefined;
    if (typeof value === 'object' && value !== null && typeof value.body === 'string' && value.body.length > 0) {
      sendIfOpen(connection, value.body);
    }
  }

  function selectRoute(body: string): string | undefined {
    let selected: string | undefined;
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'object' && parsed !== null) {
        const value = (parsed as Record<string, unknown>)[options.routeSelectionField];
        if (typeof value === 'string' && !value.startsWith('$') && routes.has(value)) selected = value;
      }
    } catch {
      // Not JSON: $default.
    }
    return selected ?? (routes.has('$default') ? '$default' : undefined);
  }

  async function handleManagement(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    // The SDK appends /@connections/{id} to its endpoint, which may carry a stage path.
    const match = /\/@connections\/([^/]+)$/.exec(url.pathname);
    if (match === null) {
      request.resume();
      sendJson(response, 404, { message: 'Not Found' });
      return;
    }
    const connectionId = decodeURIComponent(match[1] ?? '');
    const connection = connections.get(connectionId);
    const body = await readAll(request, WEBSOCKET_API_LIMITS.maxMessageBytes);
    if (connection === undefined || connection.socket.readyState !== connection.socket.OPEN) {
      sendJson(response, 410, { message: `Connection ${connectionId} is gone` }, 'GoneException');
      return;
    }
    switch (request.method) {
      case 'POST':
        if (body === 'too-large') {
          sendJson(response, 413, { message: 'Message too long' }, 'PayloadTooLargeException');
          return;
        }
        connection.socket.send(body.toString('utf8'));
        response.writeHead(200).end();
        return;
      case 'GET':
        sendJson(response, 200, {
          connectedAt: new Date(connection.connectedAt).toISOString(),
          identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
          lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        });
        return;
      case 'DELETE':
        connection.socket.close(1000, 'Connection deleted');
        response.writeHead(204).end();
        return;
      default:
        sendJson(response, 404, { message: 'Not Found' });
    }
  }

  return {
    server,
    connectionIds: () => [...connections.keys()],
    async close() {
      for (const connection of connections.values()) connection.socket.close(1001, 'Going away');
      // Let $disconnect handlers start before the server goes away.
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const connection of connections.values()) connection.socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function statusOf(outcome: GatewayOutcome): number {
  if (outcome.kind === 'integration-timeout') return 504;
  // A function that overran its own timeout failed, as one that threw did.
  if (outcome.kind === 'error' || outcome.kind === 'timeout') return 500;
  const value = outcome.value as { statusCode?: unknown } | undefined;
  // A $connect handler that returns nothing accepts the connection, as in AWS.
  return typeof value === 'object' && value !== null && typeof value.statusCode === 'number' ? value.statusCode : 200;
}

function rejectUpgrade(socket: Duplex, status: number): void {
  const reason =
    new Map([
      [401, 'Unauthorized'],
      [403, 'Forbidden'],
      [429, 'Too Many Requests'],
      [500, 'Internal Server Error'],
      [504, 'Gateway Timeout'],
    ]).get(status) ?? 'Error';
  const body = JSON.stringify({ message: reason });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function sendIfOpen(connection: Connection, data: string): void {
  if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(data);
}

function sendJson(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  response.end(text);
}

// API Gateway connection ids are 12 random bytes in base64 ("L0SM9cOFvHcCIhw="), so they can
// contain '/', '+' and '=' and must be URL-encoded by callers of the management API.
function newConnectionId(): string {
  return randomBytes(11).toString('base64');
}

function singleValueHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

/** The query string as a single-value map: the last value of a repeated parameter, as API Gateway keeps it. */
function queryParameters(params: URLSearchParams): { queryStringParameters?: Record<string, string> } {
  const single = new Map<string, string>();
  for (const [name, value] of params) single.set(name, value);
  return single.size === 0 ? {} : { queryStringParameters: Object.fromEntries(single) };
}

async function readAll(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      request.resume();
      return 'too-large';
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
