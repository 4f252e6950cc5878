import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ServerMessage } from '../../../shared/api/websocket-messages.ts';
import { MAX_SUBSCRIBED_PATIENTS } from '../../../shared/domain/connection.ts';
import { createTableClient } from '../../../shared/data/table-client.ts';
import type { Notifier } from '../../../shared/realtime/connection-notifier.ts';
import { callerFromContext, handleDefaultMessage, subscribe } from '../../../shared/services/connection-service.ts';

function replies() {
  const sent: ServerMessage[] = [];
  const notifier: Notifier = {
    toUserInSequence: async () => ({ delivered: 0, gone: 0 }),
    toPatientSubscribers: async () => ({ delivered: 0, gone: 0 }),
    toConnection: async (_id, message) => {
      sent.push(message);
      return true;
    },
    isConnected: async () => true,
    disconnectUser: async () => undefined,
  };
  // Never reached: every case here is refused before any data is read.
  const table = createTableClient('unused', new DynamoDBClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' }));
  return { deps: { table, notifier }, sent };
}

const caller = { userId: randomUUID(), orgId: randomUUID(), role: 'clinician' as const };

describe('WebSocket messages', () => {
  it(`refuses a subscription to more than ${MAX_SUBSCRIBED_PATIENTS} patients, naming the field`, async () => {
    const { deps, sent } = replies();
    const patientIds = Array.from({ length: MAX_SUBSCRIBED_PATIENTS + 1 }, () => randomUUID());
    await subscribe(deps, 'conn', caller, JSON.stringify({ action: 'subscribe', patientIds }));
    expect(sent).toEqual([
      { type: 'error', message: 'invalid subscribe message', errors: [{ path: 'message.patientIds', message: expect.any(String) }] },
    ]);
  });

  it('refuses malformed patient ids and unknown fields', async () => {
    const { deps, sent } = replies();
    await subscribe(deps, 'conn', caller, JSON.stringify({ action: 'subscribe', patientIds: ['x'], extra: 1 }));
    expect(sent[0]).toMatchObject({
      type: 'error',
      errors: expect.arrayContaining([
        expect.objectContaining({ path: 'message.patientIds.0' }),
        { path: 'message.extra', message: 'unknown field' },
      ]),
    });
  });

  it('answers ping with pong and anything else with a helpful error', async () => {
    const { deps, sent } = replies();
    await handleDefaultMessage(deps, 'conn', '{"action":"ping"}');
    await handleDefaultMessage(deps, 'conn', '{"action":"dance"}');
    await handleDefaultMessage(deps, 'conn', 'not json');
    expect(sent.map((message) => message.type)).toEqual(['pong', 'error', 'error']);
    expect(sent[2]).toMatchObject({ type: 'error', message: 'messages must be JSON objects' });
  });

  it('reads the caller only from a complete authorizer context', () => {
    expect(callerFromContext({ ...caller, principalId: caller.userId })).toEqual(caller);
    expect(() => callerFromContext({ userId: caller.userId })).toThrow(/authorizer context/);
    expect(() => callerFromContext(undefined)).toThrow(/authorizer context/);
  });
});
