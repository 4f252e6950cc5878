import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createOrganisationWithAdmin, createUser, EmailTakenError, getUser, listUsersByRole } from '../../shared/data/user-store.ts';
import type { User } from '../../shared/domain/user.ts';
import { getMembership, listCareTeam, listPatientIdsOf } from '../../shared/data/care-team-store.ts';
import { getThresholdsAlongFallback, putThreshold, deleteThreshold } from '../../shared/data/threshold-store.ts';
import { effectiveThreshold } from '../../shared/domain/thresholds.ts';
import { testTable } from './support/table.ts';

const table = testTable();
const at = '2026-11-22T04:00:00.000Z';

async function organisation() {
  const orgId = randomUUID();
  const admin: User = {
    userId: randomUUID(),
    orgId,
    email: `admin-${orgId}@example.org`,
    name: 'Admin',
    role: 'admin',
    createdAt: at,
    timeZone: 'UTC',
  };
  await createOrganisationWithAdmin(table, { orgId, name: 'Clinic', createdAt: at }, admin);
  const clinician: User = {
    userId: randomUUID(),
    orgId,
    email: `c-${orgId}@example.org`,
    name: 'Dr C',
    role: 'clinician',
    createdAt: at,
    timeZone: 'UTC',
  };
  await createUser(table, clinician);
  return { orgId, admin, clinician };
}

describe('users and care teams (DynamoDB Local)', () => {
  it('creates an organisation with its admin, and lists users by role', async () => {
    const { orgId, admin, clinician } = await organisation();
    expect(await getUser(table, admin.userId)).toEqual(admin);
    expect((await listUsersByRole(table, orgId, 'clinician')).map((user) => user.userId)).toEqual([clinician.userId]);
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    const { orgId, clinician } = await organisation();
    const twin: User = { ...clinician, userId: randomUUID(), email: clinician.email.toUpperCase() };
    await expect(createUser(table, { ...twin, orgId })).rejects.toThrow(EmailTakenError);
    expect(await getUser(table, twin.userId)).toBeUndefined();
  });

  it("puts a new patient on the enrolling clinician's care team", async () => {
    const { orgId, clinician } = await organisation();
    const patient: User = {
      userId: randomUUID(),
      orgId,
      email: `p-${randomUUID()}@example.org`,
      name: 'P',
      role: 'patient',
      createdAt: at,
      timeZone: 'UTC',
      primaryClinicianId: clinician.userId,
    };
    await createUser(table, patient);
    expect(await getMembership(table, patient.userId, clinician.userId)).toMatchObject({ memberRole: 'clinician' });
    expect(await listPatientIdsOf(table, clinician.userId)).toEqual([patient.userId]);
    expect((await listCareTeam(table, patient.userId)).map((member) => member.memberId)).toEqual([clinician.userId]);
  });

  it('resolves thresholds along patient → clinician → organisation in one read', async () => {
    const { orgId, clinician } = await organisation();
    const patientId = randomUUID();
    const limits = { minDurationSeconds: 0, deadBand: 0, priority: 'high' as const };
    await putThreshold(table, orgId, { metric: 'heart_rate', scope: 'org', max: 140, ...limits });
    await putThreshold(table, clinician.userId, { metric: 'heart_rate', scope: 'clinician', max: 120, ...limits });
    await putThreshold(table, patientId, { metric: 'heart_rate', scope: 'patient', max: 100, ...limits });
    const owners = { patientId, clinicianId: clinician.userId, orgId };
    expect(effectiveThreshold('heart_rate', await getThresholdsAlongFallback(table, 'heart_rate', owners))?.max).toBe(100);
    await deleteThreshold(table, 'patient', patientId, 'heart_rate');
    expect(effectiveThreshold('heart_rate', await getThresholdsAlongFallback(table, 'heart_rate', owners))?.max).toBe(120);
    await deleteThreshold(table, 'clinician', clinician.userId, 'heart_rate');
    expect(effectiveThreshold('heart_rate', await getThresholdsAlongFallback(table, 'heart_rate', owners))?.max).toBe(140);
  });
});
