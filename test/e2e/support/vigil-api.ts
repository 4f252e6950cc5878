// A small client for driving the local twin as the mobile app and a clinician's screen do:
// JSON over HTTP with a bearer token, and a WebSocket that collects pushed messages.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import WebSocket from 'ws';
import { createCognitoIdentityProvider } from '../../../shared/auth/identity-provider.ts';
import { createTableClient } from '../../../shared/data/table-client.ts';
import { createOrganisation } from '../../../shared/services/user-service.ts';
import { LOCAL_CREDENTIALS } from '../../../infra/local/local-aws.ts';
import type { RunningTwin } from '../../../infra/local/twin.ts';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function api<T = any>(
  twin: Pick<RunningTwin, 'httpUrl'>,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | Buffer | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${twin.httpUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: the test sees the text.
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

export const STRONG_PASSWORD = 'Correct-Horse-42-battery';

/** What `npm run create-admin` does: an organisation and its first admin, signed in. */
export async function bootstrapOrganisation(twin: RunningTwin, email = `admin-${crypto.randomUUID()}@example.org`) {
  const local = { region: twin.state.region, credentials: LOCAL_CREDENTIALS };
  const identity = createCognitoIdentityProvider(new CognitoIdentityProviderClient({ ...local, endpoint: twin.state.cognitoEndpoint }), {
    userPoolId: twin.state.userPoolId,
    clientId: twin.state.userPoolClientId,
  });
  const table = createTableClient(twin.state.tableName, new DynamoDBClient({ ...local, endpoint: twin.state.dynamoDbEndpoint }));
  await createOrganisation({ table, identity }, { organisationName: 'Test clinic', email, password: STRONG_PASSWORD });
  return signIn(twin, email);
}

export async function signIn(twin: RunningTwin, email: string, password = STRONG_PASSWORD) {
  const response = await api(twin, 'POST', '/v1/auth/login', { body: { email, password } });
  if (response.status !== 200) throw new Error(`sign-in of ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
  const me = await api(twin, 'GET', '/v1/users/me', { token: response.body.accessToken });
  return {
    email,
    tokens: response.body as { accessToken: string; idToken: string; refreshToken: string; expiresIn: number },
    user: me.body,
  };
}

/** Creates a user as `creator` and signs them in. */
export async function createAndSignIn(
  twin: RunningTwin,
  creatorToken: string,
  role: 'admin' | 'clinician' | 'patient',
  name: string = role,
) {
  const email = `${role}-${crypto.randomUUID()}@example.org`;
  const created = await api(twin, 'POST', '/v1/users', { token: creatorToken, body: { email, name, role, password: STRONG_PASSWORD } });
  if (created.status !== 201) throw new Error(`creating a ${role} failed: ${created.status} ${JSON.stringify(created.body)}`);
  return signIn(twin, email);
}

export interface PushListener {
  socket: WebSocket;
  messages: any[];
  /** Resolves with the first message (already received or coming) that matches. */
  next(predicate: (message: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): Promise<void>;
}

export function openSocket(twin: Pick<RunningTwin, 'wsUrl'>, token: string): Promise<PushListener> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${twin.wsUrl}?token=${encodeURIComponent(token)}`);
    const messages: any[] = [];
    const waiters: Array<{ predicate: (message: any) => boolean; resolve: (message: any) => void }> = [];
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      messages.push(message);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(message)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`WebSocket refused with ${response.statusCode}`)));
    socket.once('open', () =>
      resolve({
        socket,
        messages,
        next(predicate, timeoutMs = 20_000) {
          const seen = messages.find(predicate);
          if (seen) return Promise.resolve(seen);
          return new Promise((resolveMessage, rejectMessage) => {
            const timer = setTimeout(
              () => rejectMessage(new Error(`no matching WebSocket message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`)),
              timeoutMs,
            );
            waiters.push({
              predicate,
              resolve: (message) => {
                clearTimeout(timer);
                resolveMessage(message);
              },
            });
          });
        },
        close: () =>
          new Promise<void>((resolveClose) => {
            if (socket.readyState === WebSocket.CLOSED) return resolveClose();
            socket.once('close', () => resolveClose());
            socket.close();
          }),
      }),
    );
  });
}

/** Polls until `check` returns a value, for state the pipeline reaches asynchronously. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
