// The real WebSocket functions on the local twin: a person may hold MAX_CONNECTIONS_PER_USER
// screens open at once; the next connection is refused with 429 until one closes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONNECTIONS_PER_USER } from '../../shared/domain/connection.ts';
import { type LocalTwin, startLocalTwin } from '../support/local-twin.ts';
import { bootstrapOrganisation, createAndSignIn, openSocket, type PushListener, type SignedIn } from './support/vigil-api.ts';

let twin: LocalTwin;
let clinician: SignedIn;
let other: SignedIn;

beforeAll(async () => {
  twin = await startLocalTwin({ log: () => undefined });
  const admin = await bootstrapOrganisation(twin);
  clinician = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician');
  other = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician');
});

afterAll(async () => {
  await twin?.stop();
});

describe('connections per person', () => {
  it(`refuses connection ${MAX_CONNECTIONS_PER_USER + 1} with 429, takes it again once one closes, and counts nobody else`, async () => {
    const open: PushListener[] = [];
    for (let i = 0; i < MAX_CONNECTIONS_PER_USER; i++) open.push(await openSocket(twin, clinician.tokens.accessToken));
    await expect(openSocket(twin, clinician.tokens.accessToken)).rejects.toThrow(/429/);
    const someoneElse = await openSocket(twin, other.tokens.accessToken);

    await open.pop()?.close();
    // $disconnect runs after the close; the next connection may have to wait for it.
    let again: PushListener | undefined;
    for (let attempt = 0; attempt < 20 && again === undefined; attempt++) {
      again = await openSocket(twin, clinician.tokens.accessToken).catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return undefined;
      });
    }
    expect(again).toBeDefined();
    again?.socket.send(JSON.stringify({ action: 'ping' }));
    expect(await again?.next((message) => message.type === 'pong')).toEqual({ type: 'pong' });
    await Promise.all([...open, someoneElse, ...(again ? [again] : [])].map((socket) => socket.close()));
  });
});
