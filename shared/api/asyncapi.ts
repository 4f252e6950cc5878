// The AsyncAPI 3.0 document of the WebSocket protocol, generated from the message schemas the
// server and its clients use (websocket-messages.ts). It describes Vigil's side: it receives
// the client's actions and sends pushes.
import type { z } from 'zod';
import { MAX_CONNECTIONS_PER_USER } from '../domain/connection.ts';
import { schemaComponents } from './schema-components.ts';
import { ClientMessages, ServerMessage } from './websocket-messages.ts';

interface MessageEntry {
  readonly key: string;
  readonly schema: z.ZodType;
  readonly title: string;
}

/** "alert.created" → "alertCreated": an AsyncAPI key. */
const keyOf = (name: string) => name.replace(/[._-](\w)/g, (_match, letter: string) => letter.toUpperCase());

const RECEIVED: readonly MessageEntry[] = Object.entries(ClientMessages).map(([action, schema]) => ({
  key: keyOf(action),
  schema,
  title: action,
}));

const SENT: readonly MessageEntry[] = ServerMessage.options.map((schema) => ({
  key: keyOf(schema.shape.type.value),
  schema,
  title: schema.shape.type.value,
}));

export function buildAsyncApiDocument(version: string) {
  // AsyncAPI's default schema format is JSON Schema draft 7.
  const components = schemaComponents({ refBase: '#/components/schemas/', target: 'draft-7' });
  const messages: Record<string, unknown> = {};
  for (const entry of [...RECEIVED, ...SENT]) {
    const payload = components.add(entry.schema, 'input');
    const description = (entry.schema.meta() as { description?: string } | undefined)?.description;
    messages[entry.key] = { name: entry.key, title: entry.title, ...(description ? { summary: description } : {}), payload };
  }
  const channelMessages = Object.fromEntries(Object.keys(messages).map((key) => [key, { $ref: `#/components/messages/${key}` }]));
  const operation = (action: 'send' | 'receive', entry: MessageEntry) => ({
    action,
    channel: { $ref: '#/channels/connection' },
    title: entry.title,
    messages: [{ $ref: `#/channels/connection/messages/${entry.key}` }],
  });
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Vigil real-time API',
      version,
      description: [
        'Alerts and ECG analyses pushed to clinicians (and patients and consented caregivers) over a WebSocket.',
        'Connect with ?token=<access token>; a missing, invalid or expired token is refused at connect (401).',
        `One person may hold ${MAX_CONNECTIONS_PER_USER} connections at once; the next is refused (429).`,
        'API Gateway closes idle connections after 10 minutes and all after 2 hours; clients reconnect.',
      ].join(' '),
    },
    defaultContentType: 'application/json',
    servers: {
      aws: {
        host: '{apiId}.execute-api.{region}.amazonaws.com',
        pathname: '/v1',
        protocol: 'wss',
        description: 'A deployment on AWS (the stack output WebSocketUrl)',
        variables: { apiId: { default: 'abcdef1234' }, region: { default: 'eu-west-1' } },
      },
      local: { host: 'localhost:3001', protocol: 'ws', description: 'The local twin (npm start)' },
    },
    channels: {
      connection: {
        address: '/',
        title: 'A signed-in connection',
        messages: channelMessages,
        bindings: {
          ws: {
            query: {
              type: 'object',
              properties: { token: { type: 'string', description: 'an access token from POST /v1/auth/login' } },
              required: ['token'],
            },
          },
        },
      },
    },
    operations: Object.fromEntries([
      ...RECEIVED.map((entry) => [`receive_${entry.key}`, operation('receive', entry)]),
      ...SENT.map((entry) => [`send_${entry.key}`, operation('send', entry)]),
    ]),
    components: { messages, schemas: components.schemas },
  };
}
