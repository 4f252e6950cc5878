// Driving the local twin as the mobile app and a clinician's screen do: a typed client
// generated from the OpenAPI document (test/support/generate-api-types.ts), raw requests for
// what no well-behaved client sends, and a WebSocket that collects pushed messages. Every
// HTTP answer is checked against the route table's contract, every pushed message against
// the protocol's schemas.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import WebSocket from 'ws';
import { ServerMessage } from '../../../shared/api/websocket-messages.ts';
import { createCognitoIdentityProvider } from '../../../shared/auth/identity-provider.ts';
import type { Role } from '../../../shared/domain/roles.ts';
import { createTableClient } from '../../../shared/data/table-client.ts';
import { createOrganisation } from '../../../shared/services/user-service.ts';
import { LOCAL_CREDENTIALS } from '../../../infra/local/local-aws.ts';
import type { RunningTwin } from '../../../infra/local/twin.ts';
import type { components, paths } from '../../generated/vigil-api.ts';
import { contractViolation } from '../../support/api-contract.ts';
import { invitationPassword } from '../../support/cognito-mailbox.ts';

export type Schemas = components['schemas'];
export type VigilClient = Client<paths>;

const contractCheck: Middleware = {
  async onResponse({ request, response }) {
    const violation = contractViolation(
      request.method,
      new URL(request.url).pathname,
      response.status,
      response.headers.get('content-type') ?? '',
      await response.clone().text(),
    );
    if (violation !== undefined) throw new Error(`contract violated: ${violation}`);
  },
};

/** The typed client, signed in as the holder of `token` when given. */
export function vigil(twin: Pick<RunningTwin, 'httpUrl'>, token?: string): VigilClient {
  const client = createClient<paths>({
    baseUrl: twin.httpUrl,
    ...(token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } }),
  });
  client.use(contractCheck);
  return client;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body (or the text when it is not JSON). */
  body: unknown;
}

/** A request no typed client would send (malformed JSON, a wrong content type, a huge body), still checked against the contract. */
export async function rawRequest(
  twin: Pick<RunningTwin, 'httpUrl'>,
  method: string,
  path: string,
  options: { token?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  const response = await fetch(`${twin.httpUrl}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.text();
  const violation = contractViolation(
    method,
    new URL(response.url).pathname,
    response.status,
    response.headers.get('content-type') ?? '',
    text,
  );
  if (violation !== undefined) throw new Error(`contract violated: ${violation}`);
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: the test sees the text.
  }
  return { status: response.status, headers: response.headers, body };
}

/** What a test asserts of an answer it expected to fail: status, and the fields the problem names. */
export function problemOf(body: unknown): Schemas['Problem'] {
  return body as Schemas['Problem'];
}

export const STRONG_PASSWORD = 'Correct-Horse-42-battery';
/** What a creator hands over; the first sign-in replaces it with STRONG_PASSWORD. */
export const TEMPORARY_PASSWORD = 'Temporary-Pass-42';

export interface SignedIn {
  email: string;
  tokens: Schemas['Tokens'];
  user: Schemas['User'];
}

/** What `npm run create-admin` does: an organisation and its first admin, signed in. */
export async function bootstrapOrganisation(twin: RunningTwin, email = `admin-${crypto.randomUUID()}@example.org`): Promise<SignedIn> {
  const local = { region: twin.state.region, credentials: LOCAL_CREDENTIALS };
  const identity = createCognitoIdentityProvider(new CognitoIdentityProviderClient({ ...local, endpoint: twin.state.cognitoEndpoint }), {
    userPoolId: twin.state.userPoolId,
    clientId: twin.state.userPoolClientId,
  });
  const table = createTableClient(twin.state.tableName, new DynamoDBClient({ ...local, endpoint: twin.state.dynamoDbEndpoint }));
  await createOrganisation({ table, identity }, { organisationName: 'Test clinic', email, password: STRONG_PASSWORD });
  return signIn(twin, email);
}

export async function signIn(twin: RunningTwin, email: string, password = STRONG_PASSWORD, newPassword?: string): Promise<SignedIn> {
  const { data, response } = await vigil(twin).POST('/v1/auth/login', {
    body: { email, password, ...(newPassword === undefined ? {} : { newPassword }) },
  });
  if (data === undefined) throw new Error(`sign-in of ${email} failed: ${response.status}`);
  const me = await vigil(twin, data.accessToken).GET('/v1/users/me');
  if (me.data === undefined) throw new Error(`GET /v1/users/me failed for ${email}: ${me.response.status}`);
  return { email, tokens: data, user: me.data };
}

/** Creates a user as `creator` with a temporary password, and signs them in for the first time (setting their own). */
export async function createAndSignIn(
  twin: RunningTwin,
  creatorToken: string,
  role: Exclude<Role, 'caregiver'>,
  name: string = role,
): Promise<SignedIn> {
  const email = `${role}-${crypto.randomUUID()}@example.org`;
  const created = await vigil(twin, creatorToken).POST('/v1/users', { body: { email, name, role, password: TEMPORARY_PASSWORD } });
  if (created.data === undefined) throw new Error(`creating a ${role} failed: ${created.response.status} ${JSON.stringify(created.error)}`);
  return signIn(twin, email, TEMPORARY_PASSWORD, STRONG_PASSWORD);
}

export interface PushListener {
  socket: WebSocket;
  messages: ServerMessage[];
  /** Resolves with the first message (already received or coming) that matches. */
  next<M extends ServerMessage>(predicate: (message: ServerMessage) => message is M, timeoutMs?: number): Promise<M>;
  next(predicate: (message: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  close(): Promise<void>;
}

/** Opens a WebSocket with `token`; every message received must be one the protocol declares. */
export function openSocket(twin: Pick<RunningTwin, 'wsUrl'>, token: string): Promise<PushListener> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${twin.wsUrl}?token=${encodeURIComponent(token)}`);
    const messages: ServerMessage[] = [];
    const waiters: Array<{ predicate: (message: ServerMessage) => boolean; resolve: (message: ServerMessage) => void }> = [];
    socket.on('message', (data) => {
      const message = ServerMessage.parse(JSON.parse(String(data)));
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
        next(predicate: (message: ServerMessage) => boolean, timeoutMs = 20_000): Promise<ServerMessage> {
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
      } as PushListener),
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

/**
 * Invites a caregiver for `patientId` as the holder of `inviterToken` (the patient or their
 * clinician), and signs them in for the first time with the mailed temporary password.
 */
export async function inviteCaregiverAndSignIn(
  twin: RunningTwin & { dataDir: string },
  inviterToken: string,
  patientId: string,
  scopes: Schemas['InviteCaregiverRequest']['scopes'],
  name = 'Carer',
): Promise<SignedIn> {
  const email = `caregiver-${crypto.randomUUID()}@example.org`;
  const invited = await vigil(twin, inviterToken).POST('/v1/patients/{patientId}/caregivers', {
    params: { path: { patientId } },
    body: { email, name, scopes },
  });
  if (invited.data === undefined)
    throw new Error(`inviting a caregiver failed: ${invited.response.status} ${JSON.stringify(invited.error)}`);
  return signIn(twin, email, await invitationPassword(twin, email), STRONG_PASSWORD);
}
