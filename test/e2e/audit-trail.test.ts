// The audit trail through the twin: every request on a patient's data, allowed or refused,
// every WebSocket subscribe and every push leaves an entry naming who, what, which patient and
// object, the outcome, the request id and the source; admins search it, and the patient reads
// who looked at their data. No entry carries a health value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regularRhythmEcg } from '../../shared/ecg/synthetic-ecg.ts';
import { type LocalTwin, startLocalTwin } from '../support/local-twin.ts';
import {
  bootstrapOrganisation,
  createAndSignIn,
  eventually,
  openSocket,
  type PushListener,
  problemOf,
  type Schemas,
  type SignedIn,
  vigil,
} from './support/vigil-api.ts';
import { buildClinic } from './support/world.ts';

let twin: LocalTwin;
let admin: SignedIn;
let clinician: SignedIn;
let otherClinician: SignedIn;
let patient: SignedIn;
let recordingId: string;
let screen: PushListener | undefined;

beforeAll(async () => {
  twin = await startLocalTwin({ log: () => undefined });
  ({ admin, clinician, patient } = await buildClinic(twin));
  otherClinician = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician', 'Dr Bea');
  const started = await vigil(twin, patient.tokens.accessToken).POST('/v1/patients/{patientId}/ecg', {
    params: { path: { patientId: patient.user.userId } },
    body: { sampleRateHz: 250, lead: 'II' },
  });
  recordingId = started.data?.recordingId ?? '';
}, 120_000);

afterAll(async () => {
  await screen?.close();
  await twin?.stop();
});

const as = (person: SignedIn) => vigil(twin, person.tokens.accessToken);

async function trailOf(patientId: string): Promise<Schemas['AuditEntry'][]> {
  const { data, response } = await as(admin).GET('/v1/audit', { params: { query: { patientId, limit: '100' } } });
  expect(response.status).toBe(200);
  return data?.items ?? [];
}

describe('the audit trail', () => {
  it('records a clinician reading a recording, with actor, action, object, outcome, request id and source', async () => {
    const { response } = await as(clinician).GET('/v1/ecg/{recordingId}', { params: { path: { recordingId } } });
    expect(response.status).toBe(200);
    const entry = (await trailOf(patient.user.userId)).find(
      (e) => e.actorId === clinician.user.userId && e.action === 'GET /v1/ecg/{recordingId}',
    );
    expect(entry).toMatchObject({
      actorRole: 'clinician',
      patientId: patient.user.userId,
      objectId: recordingId,
      outcome: 200,
      requestId: expect.any(String),
      sourceIp: expect.stringMatching(/127\.0\.0\.1|::1/),
    });
  });

  it('records a refused look as well, with the status it got', async () => {
    const { response } = await as(otherClinician).GET('/v1/ecg/{recordingId}', { params: { path: { recordingId } } });
    expect(response.status).toBe(404);
    const refused = (await trailOf(patient.user.userId)).filter((e) => e.actorId === otherClinician.user.userId);
    expect(refused).toEqual([expect.objectContaining({ action: 'GET /v1/ecg/{recordingId}', outcome: 404, objectId: recordingId })]);
  });

  it('records an id that leads nowhere without a patient, in the caller’s organisation', async () => {
    const unknown = crypto.randomUUID();
    expect((await as(clinician).GET('/v1/ecg/{recordingId}', { params: { path: { recordingId: unknown } } })).response.status).toBe(404);
    const { data } = await as(admin).GET('/v1/audit', { params: { query: { actorId: clinician.user.userId } } });
    expect(data?.items.find((e) => e.objectId === unknown)).toMatchObject({ outcome: 404 });
    expect(data?.items.find((e) => e.objectId === unknown)).not.toHaveProperty('patientId');
  });

  it('records WebSocket subscribes and every push of the patient’s data to each recipient', async () => {
    screen = await openSocket(twin, clinician.tokens.accessToken);
    screen.socket.send(JSON.stringify({ action: 'subscribe', patientIds: [patient.user.userId] }));
    await screen.next((message) => message.type === 'subscribed');
    const { samples } = regularRhythmEcg({ sampleRateHz: 250, seconds: 10, heartRateBpm: 70 });
    await as(patient).PUT('/v1/ecg/{recordingId}/chunks/{seq}', {
      params: { path: { recordingId, seq: '0' } },
      body: { samples: Array.from(samples) },
    });
    await screen.next((message) => message.type === 'ecg.analyzed');
    const entries = await eventually(async () => {
      const trail = await trailOf(patient.user.userId);
      return trail.some((e) => e.action === 'WS push ecg.analyzed') ? trail : undefined;
    });
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'WS subscribe', actorId: clinician.user.userId, outcome: 200, patientId: patient.user.userId }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'WS push ecg.analyzed', actorId: clinician.user.userId, objectId: recordingId }),
    );
    // The upload itself is a write of the patient's data.
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'PUT /v1/ecg/{recordingId}/chunks/{seq}', actorId: patient.user.userId, outcome: 202 }),
    );
  });

  it('holds no health values: each entry has exactly the fields of an audit entry', async () => {
    for (const entry of await trailOf(patient.user.userId)) {
      expect(
        Object.keys(entry).every((key) =>
          ['entryId', 'at', 'actorId', 'actorRole', 'action', 'patientId', 'objectId', 'outcome', 'requestId', 'sourceIp'].includes(key),
        ),
      ).toBe(true);
    }
  });

  it('searches by actor, and the whole organisation over at most 31 days', async () => {
    const byActor = await as(admin).GET('/v1/audit', { params: { query: { actorId: otherClinician.user.userId } } });
    expect(byActor.data?.items.every((e) => e.actorId === otherClinician.user.userId)).toBe(true);
    const wide = await as(admin).GET('/v1/audit', { params: { query: { limit: '2' } } });
    expect(wide.data?.items).toHaveLength(2);
    const next = await as(admin).GET('/v1/audit', { params: { query: { limit: '2', cursor: wide.data?.nextCursor ?? '' } } });
    expect(next.data?.items.map((e) => e.entryId)).not.toContain(wide.data?.items[0]?.entryId);
    const tooWide = await as(admin).GET('/v1/audit', { params: { query: { from: '2026-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' } } });
    expect(tooWide.response.status).toBe(400);
    expect(problemOf(tooWide.error).errors?.map((e) => e.path)).toEqual(['query.from']);
  });

  it("keeps one organisation's trail from another's admin", async () => {
    const outsider = await bootstrapOrganisation(twin);
    const { data } = await as(outsider).GET('/v1/audit', { params: { query: { patientId: patient.user.userId } } });
    expect(data?.items).toEqual([]);
    const byActor = await as(outsider).GET('/v1/audit', { params: { query: { actorId: clinician.user.userId, limit: '1' } } });
    expect(byActor.data).toEqual({ items: [] });
  });
});

describe("the patient's access log", () => {
  it('shows who looked at their data and when, by name, leaving out their own requests', async () => {
    const { data, response } = await as(patient).GET('/v1/patients/{patientId}/access-log', {
      params: { path: { patientId: patient.user.userId } },
    });
    expect(response.status).toBe(200);
    const items = data?.items ?? [];
    expect(items).toContainEqual(
      expect.objectContaining({
        actor: { userId: clinician.user.userId, role: 'clinician', name: 'Dr Ada' },
        action: 'GET /v1/ecg/{recordingId}',
        outcome: 200,
      }),
    );
    expect(items).toContainEqual(expect.objectContaining({ actor: expect.objectContaining({ name: 'Dr Bea' }), outcome: 404 }));
    expect(items.some((item) => item.actor.userId === patient.user.userId)).toBe(false);
    const times = items.map((item) => item.at);
    expect([...times].sort().reverse()).toEqual(times);
  });
});
