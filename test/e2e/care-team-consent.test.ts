// Care teams and family consent through the twin: clinicians cover for each other and hand
// patients over, never leaving one without a clinician; the patient invites caregivers and
// decides what each sees, on every read and every push, with a revocation taking effect on
// the very next request and the very next push.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../shared/api/websocket-messages.ts';
import { regularRhythmEcg } from '../../shared/ecg/synthetic-ecg.ts';
import { type LocalTwin, startLocalTwin } from '../support/local-twin.ts';
import {
  bootstrapOrganisation,
  createAndSignIn,
  inviteCaregiverAndSignIn,
  openSocket,
  type PushListener,
  problemOf,
  type SignedIn,
  vigil,
} from './support/vigil-api.ts';
import { buildClinic } from './support/world.ts';

let twin: LocalTwin;
let admin: SignedIn;
let clinician: SignedIn;
let patient: SignedIn;
const sockets: PushListener[] = [];

beforeAll(async () => {
  twin = await startLocalTwin({ log: () => undefined });
  ({ admin, clinician, patient } = await buildClinic(twin));
}, 120_000);

afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close()));
  await twin?.stop();
});

const as = (person: SignedIn) => vigil(twin, person.tokens.accessToken);
const member = (patientId: string, userId: string) => ({ params: { path: { patientId, userId } } });
const ofPatient = (patientId: string) => ({ params: { path: { patientId } } });

async function watching(person: SignedIn, patientId: string): Promise<PushListener> {
  const socket = await openSocket(twin, person.tokens.accessToken);
  sockets.push(socket);
  socket.socket.send(JSON.stringify({ action: 'subscribe', patientIds: [patientId] }));
  await socket.next((message) => message.type === 'subscribed');
  return socket;
}

describe('clinicians on the care team', () => {
  it('lets a clinician put a colleague on the team, who then sees the patient; and hand over, never leaving none', async () => {
    const own = await createAndSignIn(twin, clinician.tokens.accessToken, 'patient', 'Hana');
    const patientId = own.user.userId;
    const colleague = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician', 'Dr Cover');
    const thresholds = () =>
      as(colleague).GET('/v1/patients/{patientId}/thresholds/{metric}', { params: { path: { patientId, metric: 'heart_rate' } } });
    expect((await thresholds()).response.status).toBe(404);

    const added = await as(clinician).PUT('/v1/patients/{patientId}/care-team/{userId}', member(patientId, colleague.user.userId));
    expect(added.data).toMatchObject({
      userId: colleague.user.userId,
      role: 'clinician',
      name: 'Dr Cover',
      addedBy: clinician.user.userId,
    });
    expect((await thresholds()).response.status).toBe(200);
    // Adding again is harmless.
    expect(
      (await as(clinician).PUT('/v1/patients/{patientId}/care-team/{userId}', member(patientId, colleague.user.userId))).response.status,
    ).toBe(200);
    const team = await as(own).GET('/v1/patients/{patientId}/care-team', ofPatient(patientId));
    expect(team.data?.members.map((m) => [m.name, m.role])).toEqual(
      expect.arrayContaining([
        ['Dr Ada', 'clinician'],
        ['Dr Cover', 'clinician'],
      ]),
    );

    // Handoff: the first clinician leaves the team; the colleague, now the last, cannot.
    expect(
      (await as(colleague).DELETE('/v1/patients/{patientId}/care-team/{userId}', member(patientId, clinician.user.userId))).response.status,
    ).toBe(204);
    const last = await as(admin).DELETE('/v1/patients/{patientId}/care-team/{userId}', member(patientId, colleague.user.userId));
    expect(last.response.status).toBe(409);
    expect(problemOf(last.error).errors?.map((e) => e.path)).toEqual(['params.userId']);
  });

  it('refuses scopes for a clinician, and people who cannot be on a care team', async () => {
    const colleague = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician', 'Dr Scope');
    const withScopes = await as(clinician).PUT('/v1/patients/{patientId}/care-team/{userId}', {
      ...member(patient.user.userId, colleague.user.userId),
      body: { scopes: ['ecg'] },
    });
    expect(withScopes.response.status).toBe(400);
    expect(problemOf(withScopes.error).errors?.map((e) => e.path)).toEqual(['body.scopes']);
    const anAdmin = await as(clinician).PUT('/v1/patients/{patientId}/care-team/{userId}', member(patient.user.userId, admin.user.userId));
    expect(anAdmin.response.status).toBe(400);
    expect(problemOf(anAdmin.error).errors?.map((e) => e.path)).toEqual(['params.userId']);
  });
});

describe('family caregivers', () => {
  it.each([
    [['vitals:pulse'], /no metric "pulse".*heart_rate/],
    [['everything'], /vitals:<metric>, vitals:\*, ecg, alerts or sos/],
  ])('refuses the scopes %j naming body.scopes.0', async (scopes, message) => {
    const { response, error } = await as(patient).POST('/v1/patients/{patientId}/caregivers', {
      ...ofPatient(patient.user.userId),
      // @ts-expect-error: scopes outside the list, as a client might send them
      body: { email: `c-${randomUUID()}@example.org`, name: 'Carer', scopes },
    });
    expect(response.status).toBe(400);
    const problem = problemOf(error).errors?.find((e) => e.path === 'body.scopes.0');
    expect(problem?.message).toMatch(message);
  });

  it("reuses a caregiver's existing account for a second patient, and refuses an email of another kind of account", async () => {
    const carer = await inviteCaregiverAndSignIn(twin, patient.tokens.accessToken, patient.user.userId, ['alerts'], 'Ciara');
    const second = await createAndSignIn(twin, clinician.tokens.accessToken, 'patient', 'Sam');
    const again = await as(clinician).POST('/v1/patients/{patientId}/caregivers', {
      ...ofPatient(second.user.userId),
      body: { email: carer.email, name: 'Ciara', scopes: ['sos'] },
    });
    expect(again.response.status).toBe(201);
    expect(again.data).toMatchObject({ userId: carer.user.userId, role: 'caregiver', scopes: ['sos'] });
    expect((await as(carer).GET('/v1/patients')).data?.items.map((p) => p.userId).sort()).toEqual(
      [patient.user.userId, second.user.userId].sort(),
    );

    const twice = await as(patient).POST('/v1/patients/{patientId}/caregivers', {
      ...ofPatient(patient.user.userId),
      body: { email: carer.email, name: 'Ciara', scopes: [] },
    });
    expect(twice.response.status).toBe(409);
    const staff = await as(patient).POST('/v1/patients/{patientId}/caregivers', {
      ...ofPatient(patient.user.userId),
      body: { email: clinician.email, name: 'Not a carer', scopes: [] },
    });
    expect(staff.response.status).toBe(409);
    expect(problemOf(staff.error).errors?.map((e) => e.path)).toEqual(['body.email']);
  });

  // Defect: an invitation withdrawn before it was accepted kept its account, and with it the
  // email address, which is unique across Vigil: anyone could hold another organisation's
  // future clinician's address.
  it('leaves nothing behind when an invitation is withdrawn before it was accepted', async () => {
    const email = `held-${randomUUID()}@example.org`;
    const invited = await as(patient).POST('/v1/patients/{patientId}/caregivers', {
      ...ofPatient(patient.user.userId),
      body: { email, name: 'Nobody Yet', scopes: [] },
    });
    expect(invited.response.status).toBe(201);
    const withdrawn = await as(patient).DELETE(
      '/v1/patients/{patientId}/care-team/{userId}',
      member(patient.user.userId, invited.data?.userId ?? ''),
    );
    expect(withdrawn.response.status).toBe(204);
    const elsewhere = await bootstrapOrganisation(twin);
    const created = await as(elsewhere).POST('/v1/users', { body: { email, name: 'Dr Elsewhere', role: 'clinician' } });
    expect(created.response.status).toBe(201);
  });

  it('never lets a caregiver widen their own consent or see the rest of the team', async () => {
    const carer = await inviteCaregiverAndSignIn(twin, patient.tokens.accessToken, patient.user.userId, ['alerts'], 'Wren');
    const widened = await as(carer).PUT('/v1/patients/{patientId}/care-team/{userId}', {
      ...member(patient.user.userId, carer.user.userId),
      body: { scopes: ['vitals:*', 'ecg', 'alerts', 'sos'] },
    });
    expect(widened.response.status).toBe(403);
    expect((await as(carer).GET('/v1/patients/{patientId}/care-team', ofPatient(patient.user.userId))).response.status).toBe(403);
    const team = await as(patient).GET('/v1/patients/{patientId}/care-team', ofPatient(patient.user.userId));
    expect(team.data?.members.find((m) => m.userId === carer.user.userId)?.scopes).toEqual(['alerts']);
  });

  it('lets a caregiver read a recording only while the patient shares ECG with them', async () => {
    const carer = await inviteCaregiverAndSignIn(twin, patient.tokens.accessToken, patient.user.userId, ['alerts'], 'Rhea');
    const started = await as(patient).POST('/v1/patients/{patientId}/ecg', {
      ...ofPatient(patient.user.userId),
      body: { sampleRateHz: 250, lead: 'II' },
    });
    const recordingId = started.data?.recordingId ?? '';
    const read = () => as(carer).GET('/v1/ecg/{recordingId}', { params: { path: { recordingId } } });
    expect((await read()).response.status).toBe(404);

    const shared = await as(patient).PUT('/v1/patients/{patientId}/care-team/{userId}', {
      ...member(patient.user.userId, carer.user.userId),
      body: { scopes: ['ecg', 'alerts', 'ecg'] },
    });
    expect(shared.data?.scopes).toEqual(['ecg', 'alerts']);
    expect((await read()).response.status).toBe(200);

    expect(
      (await as(patient).DELETE('/v1/patients/{patientId}/care-team/{userId}', member(patient.user.userId, carer.user.userId))).response
        .status,
    ).toBe(204);
    expect((await read()).response.status).toBe(404);
    expect((await as(carer).GET('/v1/patients')).data?.items).toEqual([]);
  });
});

describe('pushes within consent', () => {
  it('brings a heart-rate alert to the caregiver who may see heart rate and alerts, and to nobody else; revocation stops the next push', async () => {
    const patientId = patient.user.userId;
    const heartRateCarer = await inviteCaregiverAndSignIn(
      twin,
      patient.tokens.accessToken,
      patientId,
      ['vitals:heart_rate', 'alerts'],
      'Hal',
    );
    const ecgOnlyCarer = await inviteCaregiverAndSignIn(twin, patient.tokens.accessToken, patientId, ['ecg'], 'Eve');
    await as(clinician).PUT('/v1/patients/{patientId}/thresholds/{metric}', {
      params: { path: { patientId, metric: 'heart_rate' } },
      body: { max: 100 },
    });
    const clinicianScreen = await watching(clinician, patientId);
    const heartRatePhone = await watching(heartRateCarer, patientId);
    const ecgOnlyPhone = await watching(ecgOnlyCarer, patientId);

    const started = await as(patient).POST('/v1/patients/{patientId}/ecg', {
      ...ofPatient(patientId),
      body: { sampleRateHz: 250, lead: 'II' },
    });
    const recordingId = started.data?.recordingId ?? '';
    const { samples } = regularRhythmEcg({ sampleRateHz: 250, seconds: 30, heartRateBpm: 150 });
    for (let seq = 0; seq < 3; seq++) {
      await as(patient).PUT('/v1/ecg/{recordingId}/chunks/{seq}', {
        params: { path: { recordingId, seq: String(seq) } },
        body: { samples: Array.from(samples.subarray(seq * 2500, (seq + 1) * 2500)) },
      });
    }
    const isCreated = (message: ServerMessage) => message.type === 'alert.created';
    const toClinician = await clinicianScreen.next(isCreated);
    const toCarer = await heartRatePhone.next(isCreated);
    expect(toCarer).toEqual(toClinician);
    // ECG analysis goes to those who may see ECG: the clinician and the ECG carer, not the heart-rate carer.
    await ecgOnlyPhone.next((message) => message.type === 'ecg.analyzed');
    await clinicianScreen.next((message) => message.type === 'ecg.analyzed');
    expect(heartRatePhone.messages.filter((message) => message.type === 'ecg.analyzed')).toEqual([]);
    expect(ecgOnlyPhone.messages.filter((message) => message.type.startsWith('alert.'))).toEqual([]);

    // Read back by id, within the same consent: the heart-rate carer may, the ECG-only carer may not.
    const pushedId = toClinician.type === 'alert.created' ? toClinician.alert.alertId : '';
    const readAs = (person: SignedIn) => as(person).GET('/v1/alerts/{alertId}', { params: { path: { alertId: pushedId } } });
    expect((await readAs(heartRateCarer)).data).toMatchObject({ alertId: pushedId, cause: 'heart_rate.high' });
    expect((await readAs(ecgOnlyCarer)).response.status).toBe(404);
    expect((await readAs(admin)).response.status).toBe(404);

    // The patient revokes the heart-rate carer; the next push (the acknowledgement) passes them by.
    await as(patient).DELETE('/v1/patients/{patientId}/care-team/{userId}', member(patientId, heartRateCarer.user.userId));
    const alertId = toClinician.type === 'alert.created' ? toClinician.alert.alertId : '';
    await as(clinician).POST('/v1/alerts/{alertId}/acknowledge', { params: { path: { alertId } } });
    const acknowledged = (message: ServerMessage) => message.type === 'alert.updated' && message.alert.status === 'acknowledged';
    await clinicianScreen.next(acknowledged);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(heartRatePhone.messages.filter(acknowledged)).toEqual([]);
  }, 60_000);
});
