// People over their whole life in an organisation, through the twin: profiles edited by
// themselves and by those who run them, roles changed only by another admin, lists of users
// and patients, and a leaver disabled: refused at once on every door (sign-in, refresh,
// existing tokens over HTTP and WebSocket) while the record stays.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalTwin, startLocalTwin } from '../support/local-twin.ts';
import {
  createAndSignIn,
  openSocket,
  problemOf,
  rawRequest,
  type SignedIn,
  STRONG_PASSWORD,
  TEMPORARY_PASSWORD,
  vigil,
} from './support/vigil-api.ts';
import { buildClinic } from './support/world.ts';

let twin: LocalTwin;
let admin: SignedIn;
let clinician: SignedIn;
let patient: SignedIn;

beforeAll(async () => {
  twin = await startLocalTwin({ log: () => undefined });
  ({ admin, clinician, patient } = await buildClinic(twin));
}, 120_000);

afterAll(async () => {
  await twin?.stop();
});

const as = (person: SignedIn) => vigil(twin, person.tokens.accessToken);
const userPath = (userId: string) => ({ params: { path: { userId } } });

describe('profiles', () => {
  it('gives a new user the UTC time zone until they set their own', () => {
    expect(patient.user.timeZone).toBe('UTC');
  });

  it('lets everyone edit their own name, phone and time zone', async () => {
    const { data, response } = await as(patient).PATCH('/v1/users/{userId}', {
      ...userPath(patient.user.userId),
      body: { name: 'Pat Smith', phone: '+4930123456', timeZone: 'europe/berlin' },
    });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ name: 'Pat Smith', phone: '+4930123456', timeZone: 'Europe/Berlin' });
    expect((await as(patient).GET('/v1/users/me')).data).toMatchObject({ timeZone: 'Europe/Berlin', phone: '+4930123456' });
    const removed = await as(patient).PATCH('/v1/users/{userId}', { ...userPath(patient.user.userId), body: { phone: null } });
    expect(removed.data).not.toHaveProperty('phone');
  });

  it("lets a clinician edit their patient's profile, and an admin anyone's", async () => {
    const byClinician = await as(clinician).PATCH('/v1/users/{userId}', { ...userPath(patient.user.userId), body: { name: 'Pat S.' } });
    expect(byClinician.response.status).toBe(200);
    const byAdmin = await as(admin).PATCH('/v1/users/{userId}', { ...userPath(clinician.user.userId), body: { phone: '+14155550100' } });
    expect(byAdmin.data).toMatchObject({ phone: '+14155550100' });
  });

  it.each([
    [{ timeZone: 'Mars/Olympus_Mons' }, 'body.timeZone'],
    [{ timeZone: '+01:00' }, 'body.timeZone'],
    [{ phone: '030 123456' }, 'body.phone'],
    [{ email: 'new@example.org' }, 'body'],
    [{}, 'body'],
  ])('refuses the edit %j with 400 naming %s', async (body, path) => {
    const response = await rawRequest(twin, 'PATCH', `/v1/users/${patient.user.userId}`, {
      token: patient.tokens.accessToken,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(problemOf(response.body).errors?.map((error) => error.path)).toContain(path);
  });
});

describe('roles', () => {
  it('lets nobody change their own role', async () => {
    for (const [person, role] of [
      [patient, 'admin'],
      [clinician, 'admin'],
      [admin, 'clinician'],
    ] as const) {
      const { response, error } = await as(person).PATCH('/v1/users/{userId}', { ...userPath(person.user.userId), body: { role } });
      expect(response.status).toBe(403);
      expect(problemOf(error).detail).toMatch(/role/);
    }
  });

  it('lets only an admin change a role', async () => {
    const { response } = await as(clinician).PATCH('/v1/users/{userId}', { ...userPath(patient.user.userId), body: { role: 'clinician' } });
    expect(response.status).toBe(403);
  });

  it('moves a person between admin and clinician, and lists them under their new role', async () => {
    const colleague = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician', 'Dr Cole');
    const promoted = await as(admin).PATCH('/v1/users/{userId}', { ...userPath(colleague.user.userId), body: { role: 'admin' } });
    expect(promoted.data).toMatchObject({ role: 'admin' });
    const admins = await as(admin).GET('/v1/users', { params: { query: { role: 'admin' } } });
    expect(admins.data?.items.map((user) => user.userId)).toContain(colleague.user.userId);
    // Role comes from our records on every request: the same token now has an admin's rights.
    expect((await as(colleague).GET('/v1/users', { params: { query: { role: 'clinician' } } })).response.status).toBe(200);
    const demoted = await as(admin).PATCH('/v1/users/{userId}', { ...userPath(colleague.user.userId), body: { role: 'clinician' } });
    expect(demoted.data).toMatchObject({ role: 'clinician' });
  });

  it('refuses to change the role of a patient, or of a clinician who still has patients, naming body.role', async () => {
    for (const [userId, role] of [
      [patient.user.userId, 'clinician'],
      [clinician.user.userId, 'admin'],
    ] as const) {
      const { response, error } = await as(admin).PATCH('/v1/users/{userId}', { ...userPath(userId), body: { role } });
      expect(response.status).toBe(409);
      expect(problemOf(error).errors?.map((e) => e.path)).toEqual(['body.role']);
    }
  });
});

describe('lists', () => {
  it('pages through the users of a role', async () => {
    await createAndSignIn(twin, admin.tokens.accessToken, 'clinician', 'Dr Two');
    const first = await as(admin).GET('/v1/users', { params: { query: { role: 'clinician', limit: '1' } } });
    expect(first.data?.items).toHaveLength(1);
    expect(first.data?.nextCursor).toBeDefined();
    const second = await as(admin).GET('/v1/users', {
      params: { query: { role: 'clinician', limit: '1', cursor: first.data?.nextCursor ?? '' } },
    });
    expect(second.data?.items).toHaveLength(1);
    expect(second.data?.items[0]?.userId).not.toBe(first.data?.items[0]?.userId);
    const everybody = await as(admin).GET('/v1/users');
    expect(everybody.data?.items.map((user) => user.role)).toEqual(expect.arrayContaining(['admin', 'clinician', 'patient']));
  });

  it('refuses a cursor replayed with another filter', async () => {
    const first = await as(admin).GET('/v1/users', { params: { query: { role: 'clinician', limit: '1' } } });
    const replayed = await as(admin).GET('/v1/users', { params: { query: { role: 'patient', cursor: first.data?.nextCursor ?? '' } } });
    expect(replayed.response.status).toBe(400);
  });

  it('shows a clinician their patients and an admin every patient, with names', async () => {
    const mine = await as(clinician).GET('/v1/patients');
    expect(mine.data?.items.map((user) => [user.userId, user.name])).toContainEqual([patient.user.userId, expect.any(String)]);
    const all = await as(admin).GET('/v1/patients');
    expect(all.data?.items.map((user) => user.userId)).toContain(patient.user.userId);
  });

  it('lets an admin create a patient for a chosen clinician, who then has them', async () => {
    const email = `patient-${randomUUID()}@example.org`;
    const created = await as(admin).POST('/v1/users', {
      body: { email, name: 'Paul', role: 'patient', clinicianId: clinician.user.userId, timeZone: 'America/New_York' },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ role: 'patient', timeZone: 'America/New_York' });
    const team = await as(clinician).GET('/v1/patients/{patientId}/care-team', {
      params: { path: { patientId: created.data?.userId ?? '' } },
    });
    expect(team.data?.members.map((member) => member.userId)).toEqual([clinician.user.userId]);
  });

  it('refuses an admin creating a patient without a clinician, or for someone who is not one', async () => {
    for (const clinicianId of [undefined, patient.user.userId]) {
      const { response, error } = await as(admin).POST('/v1/users', {
        body: { email: `p-${randomUUID()}@example.org`, name: 'P', role: 'patient', ...(clinicianId ? { clinicianId } : {}) },
      });
      expect(response.status).toBe(400);
      expect(problemOf(error).errors?.map((e) => e.path)).toEqual(['body.clinicianId']);
    }
  });
});

describe('disabling an account', () => {
  it("refuses to disable a patient's only clinician, naming the patient", async () => {
    const { response, error } = await as(admin).DELETE('/v1/users/{userId}', userPath(clinician.user.userId));
    expect(response.status).toBe(409);
    expect(problemOf(error).detail).toContain(patient.user.userId);
  });

  it('shuts every door at once and keeps the record', async () => {
    const leaver = await createAndSignIn(twin, admin.tokens.accessToken, 'clinician', 'Dr Leaver');
    const added = await as(admin).PUT('/v1/patients/{patientId}/care-team/{userId}', {
      params: { path: { patientId: patient.user.userId, userId: leaver.user.userId } },
    });
    expect(added.response.status).toBe(200);
    const screen = await openSocket(twin, leaver.tokens.accessToken);
    const closed = new Promise<void>((resolve) => screen.socket.once('close', () => resolve()));

    expect((await as(admin).DELETE('/v1/users/{userId}', userPath(leaver.user.userId))).response.status).toBe(204);

    expect((await as(leaver).GET('/v1/users/me')).response.status).toBe(401);
    expect((await vigil(twin).POST('/v1/auth/login', { body: { email: leaver.email, password: STRONG_PASSWORD } })).response.status).toBe(
      401,
    );
    const refresh = await vigil(twin).POST('/v1/auth/refresh', { body: { refreshToken: leaver.tokens.refreshToken ?? '' } });
    expect(refresh.response.status).toBe(401);
    await closed;
    await expect(openSocket(twin, leaver.tokens.accessToken)).rejects.toThrow(/401|403/);

    const record = await as(admin).GET('/v1/users/{userId}', userPath(leaver.user.userId));
    expect(record.data).toMatchObject({ userId: leaver.user.userId, name: 'Dr Leaver', disabledAt: expect.any(String) });
    const team = await as(clinician).GET('/v1/patients/{patientId}/care-team', { params: { path: { patientId: patient.user.userId } } });
    expect(team.data?.members.map((member) => member.userId)).not.toContain(leaver.user.userId);
    // Disabling again changes nothing.
    expect((await as(admin).DELETE('/v1/users/{userId}', userPath(leaver.user.userId))).response.status).toBe(204);
  });

  it('lets a clinician discharge their own patient', async () => {
    const email = `patient-${randomUUID()}@example.org`;
    const created = await as(clinician).POST('/v1/users', { body: { email, name: 'Pete', role: 'patient', password: TEMPORARY_PASSWORD } });
    const patientId = created.data?.userId ?? '';
    expect((await as(clinician).DELETE('/v1/users/{userId}', userPath(patientId))).response.status).toBe(204);
    expect((await vigil(twin).POST('/v1/auth/login', { body: { email, password: TEMPORARY_PASSWORD } })).response.status).toBe(401);
  });

  it('keeps the last enabled admin', async () => {
    const { response, error } = await as(admin).DELETE('/v1/users/{userId}', userPath(admin.user.userId));
    expect(response.status).toBe(409);
    expect(problemOf(error).detail).toMatch(/last enabled admin/);
    const second = await as(admin).POST('/v1/users', {
      body: { email: `admin-${randomUUID()}@example.org`, name: 'Second', role: 'admin', password: TEMPORARY_PASSWORD },
    });
    expect((await as(admin).DELETE('/v1/users/{userId}', userPath(second.data?.userId ?? ''))).response.status).toBe(204);
    // Still the last one: the disabled admin does not count.
    expect((await as(admin).DELETE('/v1/users/{userId}', userPath(admin.user.userId))).response.status).toBe(409);
  });
});
