import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { addMember, getMembership, listCareTeam, removeMember, setCaregiverScopes } from '../../shared/data/care-team-store.ts';
import {
  changeRole,
  clinicianCounts,
  createOrganisationWithAdmin,
  createUser,
  disableUser,
  getUser,
  getUserIdByEmail,
  getUsers,
  listUsersByRole,
  listUsersPage,
  updateProfile,
  type UserRecord,
  userKeys,
} from '../../shared/data/user-store.ts';
import type { CareTeamMembership } from '../../shared/domain/care-team.ts';
import type { Role } from '../../shared/domain/roles.ts';
import type { User } from '../../shared/domain/user.ts';
import { testTable } from './support/table.ts';

const table = testTable();
const at = '2026-11-22T04:00:00.000Z';

function person(orgId: string, role: Role, fields: Partial<UserRecord> = {}): UserRecord {
  const userId = randomUUID();
  return { userId, orgId, email: `${role}-${userId}@example.org`, name: `A ${role}`, role, createdAt: at, ...fields };
}

async function organisation() {
  const orgId = randomUUID();
  const admin = person(orgId, 'admin');
  await createOrganisationWithAdmin(table, { orgId, name: 'Clinic', createdAt: at }, admin);
  return { orgId, admin: (await getUser(table, admin.userId))! };
}

async function enabledAdmins(orgId: string): Promise<unknown> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: userKeys.organisation(orgId), ConsistentRead: true }),
  );
  return Item?.['enabledAdmins'];
}

const clinicianOf = (patient: User, clinician: User): CareTeamMembership => ({
  patientId: patient.userId,
  memberId: clinician.userId,
  memberRole: 'clinician',
  orgId: patient.orgId,
  addedAt: at,
});

/** A patient enrolled by a new clinician, and a second clinician of the same organisation not yet on the team. */
async function patientWithClinician() {
  const { orgId, admin } = await organisation();
  const first = await createUser(table, person(orgId, 'clinician'));
  const second = await createUser(table, person(orgId, 'clinician'));
  const patient = await createUser(table, person(orgId, 'patient', { primaryClinicianId: first.userId }));
  return { admin, first, second, patient };
}

const sortedIds = (users: readonly User[]) => users.map((user) => user.userId).sort();

describe('people: users, admins and care teams (DynamoDB Local)', () => {
  it("can neither disable nor demote an organisation's last enabled admin", async () => {
    const { orgId, admin } = await organisation();

    expect(await disableUser(table, admin, randomUUID(), at)).toBe(false);
    expect(await changeRole(table, admin, 'clinician')).toBe(false);

    expect(await getUser(table, admin.userId)).toEqual(admin);
    expect(await enabledAdmins(orgId)).toBe(1);

    // With a second admin the first may step down, after which the second is the last one.
    const second = await createUser(table, person(orgId, 'admin'));
    expect(await enabledAdmins(orgId)).toBe(2);
    expect(await changeRole(table, admin, 'clinician')).toBe(true);
    expect(await changeRole(table, second, 'clinician')).toBe(false);
    expect(await disableUser(table, second, admin.userId, at)).toBe(false);
    expect(await enabledAdmins(orgId)).toBe(1);
  });

  it('leaves exactly one enabled admin when the only two are disabled at the same moment', async () => {
    const { orgId, admin } = await organisation();
    const second = await createUser(table, person(orgId, 'admin'));

    const results = await Promise.all([disableUser(table, admin, second.userId, at), disableUser(table, second, admin.userId, at)]);

    expect(results.filter(Boolean)).toHaveLength(1);
    const admins = await getUsers(table, [admin.userId, second.userId]);
    expect(admins.filter((user) => user.disabledAt === undefined)).toHaveLength(1);
    expect(await enabledAdmins(orgId)).toBe(1);
    // A disabled admin no longer counts, so the one left cannot go either.
    const left = admins.find((user) => user.disabledAt === undefined)!;
    expect(await disableUser(table, left, left.userId, at)).toBe(false);
  });

  // Defect: disabling from a copy read before the user became an admin did not lower the admin
  // count, so the organisation could end with every admin disabled.
  it('refuses to disable a user from a copy whose role is out of date, so the admin count stays true', async () => {
    const { orgId, admin } = await organisation();
    const stale = await createUser(table, person(orgId, 'clinician'));
    expect(await changeRole(table, stale, 'admin')).toBe(true);
    expect(await disableUser(table, stale, admin.userId, at)).toBe(false);
    const promoted = (await getUser(table, stale.userId))!;
    expect(await disableUser(table, promoted, admin.userId, at)).toBe(true);
    expect(await enabledAdmins(orgId)).toBe(1);
    expect(await disableUser(table, admin, admin.userId, at)).toBe(false);
  });

  // Defect: a clinician could be promoted to admin (or disabled) while being added to a care
  // team, and go on receiving the patient's alerts.
  it('adds nobody whose account is disabled or has another role, and moves or disables nobody still on a care team', async () => {
    const { admin, first, second, patient } = await patientWithClinician();
    expect(await changeRole(table, first, 'admin')).toBe(false);
    expect(await disableUser(table, first, admin.userId, at)).toBe(false);
    expect(await changeRole(table, second, 'admin')).toBe(true);
    expect(await addMember(table, clinicianOf(patient, second))).toBe(false);
    const demoted = (await getUser(table, second.userId))!;
    expect(await changeRole(table, demoted, 'clinician')).toBe(true);
    const clinicianAgain = (await getUser(table, second.userId))!;
    expect(await disableUser(table, clinicianAgain, admin.userId, at)).toBe(true);
    expect(await addMember(table, clinicianOf(patient, second))).toBe(false);
    expect((await listCareTeam(table, patient.userId)).map((m) => m.memberId)).toEqual([first.userId]);
  });

  it("cannot remove a patient's last clinician", async () => {
    const { first, patient } = await patientWithClinician();

    expect(await removeMember(table, clinicianOf(patient, first))).toBe(false);

    expect(await getMembership(table, patient.userId, first.userId)).toMatchObject({ memberRole: 'clinician' });
    expect((await clinicianCounts(table, [patient.userId])).get(patient.userId)).toBe(1);
  });

  it('leaves exactly one clinician when both of a patient’s two are removed at the same moment', async () => {
    const { first, second, patient } = await patientWithClinician();
    expect(await addMember(table, clinicianOf(patient, second))).toBe(true);

    const results = await Promise.all([
      removeMember(table, clinicianOf(patient, first)),
      removeMember(table, clinicianOf(patient, second)),
    ]);

    expect(results.filter(Boolean)).toHaveLength(1);
    const kept = results[0] ? second : first;
    expect((await listCareTeam(table, patient.userId)).map((member) => member.memberId)).toEqual([kept.userId]);
    expect((await clinicianCounts(table, [patient.userId])).get(patient.userId)).toBe(1);
  });

  it('counts a clinician added twice (at once, and again later) only once', async () => {
    const { first, second, patient } = await patientWithClinician();

    const results = await Promise.all([addMember(table, clinicianOf(patient, second)), addMember(table, clinicianOf(patient, second))]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await addMember(table, clinicianOf(patient, second))).toBe(false);

    expect((await clinicianCounts(table, [patient.userId])).get(patient.userId)).toBe(2);
    expect(await listCareTeam(table, patient.userId)).toHaveLength(2);
    // Had the duplicate counted, both clinicians could now be removed.
    expect(await removeMember(table, clinicianOf(patient, first))).toBe(true);
    expect(await removeMember(table, clinicianOf(patient, second))).toBe(false);
  });

  it("sets a caregiver's scopes, but refuses a clinician membership and a member who is not on the team", async () => {
    const { admin, first, patient } = await patientWithClinician();
    const caregiver = await createUser(table, person(patient.orgId, 'caregiver'));
    const stranger = randomUUID();
    await addMember(table, {
      patientId: patient.userId,
      memberId: caregiver.userId,
      memberRole: 'caregiver',
      orgId: patient.orgId,
      addedAt: at,
    });
    const change = { scopes: ['ecg', 'alerts'] as const, by: admin.userId, at };

    expect(await setCaregiverScopes(table, patient.userId, first.userId, change)).toBeUndefined();
    expect(await setCaregiverScopes(table, patient.userId, stranger, change)).toBeUndefined();
    expect(await setCaregiverScopes(table, patient.userId, caregiver.userId, change)).toMatchObject({
      memberRole: 'caregiver',
      scopes: ['ecg', 'alerts'],
      scopesChangedBy: admin.userId,
    });

    expect((await getMembership(table, patient.userId, first.userId))?.scopes).toBeUndefined();
    expect(await getMembership(table, patient.userId, stranger)).toBeUndefined();
  });

  it("moves a user between the organisation's role listings when their role changes", async () => {
    const { orgId, admin } = await organisation();
    const clinician = await createUser(table, person(orgId, 'clinician'));

    expect(await changeRole(table, clinician, 'admin')).toBe(true);

    expect(sortedIds(await listUsersByRole(table, orgId, 'admin'))).toEqual(sortedIds([admin, clinician]));
    expect(await listUsersByRole(table, orgId, 'clinician')).toEqual([]);
    expect(await enabledAdmins(orgId)).toBe(2);

    // The original admin may now step down, and moves the other way.
    expect(await changeRole(table, admin, 'clinician')).toBe(true);
    expect((await listUsersByRole(table, orgId, 'admin')).map((user) => user.userId)).toEqual([clinician.userId]);
    expect((await listUsersByRole(table, orgId, 'clinician')).map((user) => user.userId)).toEqual([admin.userId]);
    expect(await enabledAdmins(orgId)).toBe(1);
    // A change made from a stale copy of the user is refused.
    expect(await changeRole(table, clinician, 'clinician')).toBe(false);
    expect((await getUser(table, clinician.userId))?.role).toBe('admin');
  });

  it('removes a phone number given as null and sets a time zone, leaving the rest of the profile alone', async () => {
    const { orgId } = await organisation();
    const user = await createUser(table, person(orgId, 'clinician', { phone: '+4930123456' }));

    const updated = await updateProfile(table, user.userId, { phone: null, timeZone: 'Europe/Berlin' });

    const { phone: _phone, ...withoutPhone } = user;
    expect(updated).toEqual({ ...withoutPhone, timeZone: 'Europe/Berlin' });
    expect(await getUser(table, user.userId)).toEqual(updated);
    const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: userKeys.profile(user.userId) }));
    expect(Item).not.toHaveProperty('phone');
    // An unknown user is not created by an edit.
    const unknown = randomUUID();
    expect(await updateProfile(table, unknown, { timeZone: 'Europe/Berlin' })).toBeUndefined();
    expect(await getUser(table, unknown)).toBeUndefined();
  });

  it("pages through an organisation's five users two at a time, in id order, without gaps or repeats", async () => {
    const { orgId, admin } = await organisation();
    const others = [];
    for (const role of ['clinician', 'clinician', 'patient', 'admin'] as const) others.push(await createUser(table, person(orgId, role)));
    await createUser(table, person(randomUUID(), 'clinician'));
    const everyone = [admin, ...others];

    const pages = [];
    let nextKey: Record<string, unknown> | undefined;
    do {
      const page = await listUsersPage(table, orgId, undefined, 2, nextKey);
      pages.push(page);
      nextKey = page.nextKey;
    } while (nextKey !== undefined && pages.length < 10);

    expect(pages.map((page) => page.users.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((page) => page.users.map((user) => user.userId))).toEqual(sortedIds(everyone));
    expect(sortedIds((await listUsersPage(table, orgId, 'clinician', 10)).users)).toEqual(
      sortedIds(others.filter((user) => user.role === 'clinician')),
    );
  });

  it('finds users by id and by email, whatever its case', async () => {
    const { orgId, admin } = await organisation();
    const clinician = await createUser(table, person(orgId, 'clinician'));

    expect(sortedIds(await getUsers(table, [clinician.userId, admin.userId, clinician.userId, randomUUID()]))).toEqual(
      sortedIds([admin, clinician]),
    );
    expect(await getUserIdByEmail(table, clinician.email.toUpperCase())).toBe(clinician.userId);
    expect(await getUserIdByEmail(table, `nobody-${randomUUID()}@example.org`)).toBeUndefined();
  });
});
