import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { assertPatientAccess } from '../../../shared/domain/patient-access.ts';
import type { CareTeamMembership } from '../../../shared/domain/care-team.ts';
import { ForbiddenError, NotFoundError } from '../../../shared/domain/errors.ts';
import type { User } from '../../../shared/domain/user.ts';

const orgId = randomUUID();
const patient: User = {
  userId: randomUUID(),
  orgId,
  email: 'p@example.org',
  name: 'P',
  role: 'patient',
  createdAt: '2026-01-01T00:00:00Z',
};
const clinician = { userId: randomUUID(), orgId, role: 'clinician' as const };
const membership: CareTeamMembership = {
  patientId: patient.userId,
  memberId: clinician.userId,
  memberRole: 'clinician',
  orgId,
  addedAt: '2026-01-01T00:00:00Z',
};

describe('assertPatientAccess', () => {
  it('lets a clinician on the care team read and manage', () => {
    expect(() => assertPatientAccess(clinician, patient.userId, patient, membership, 'read')).not.toThrow();
    expect(() => assertPatientAccess(clinician, patient.userId, patient, membership, 'manage')).not.toThrow();
  });
  it('reports the patient as not found to a clinician who is not on the care team', () => {
    expect(() => assertPatientAccess(clinician, patient.userId, patient, undefined, 'read')).toThrow(NotFoundError);
  });
  it('forbids a patient from managing their own monitoring, which they may see', () => {
    const self = { userId: patient.userId, orgId, role: 'patient' as const };
    expect(() => assertPatientAccess(self, patient.userId, patient, undefined, 'manage')).toThrow(ForbiddenError);
  });
  it('lets only the patient upload their own measurements', () => {
    const self = { userId: patient.userId, orgId, role: 'patient' as const };
    expect(() => assertPatientAccess(self, patient.userId, patient, undefined, 'upload')).not.toThrow();
    expect(() => assertPatientAccess(clinician, patient.userId, patient, membership, 'upload')).toThrow(ForbiddenError);
  });
  it("reports another patient's data as not found", () => {
    const other = { userId: randomUUID(), orgId, role: 'patient' as const };
    expect(() => assertPatientAccess(other, patient.userId, patient, undefined, 'read')).toThrow(NotFoundError);
    expect(() => assertPatientAccess(other, patient.userId, patient, undefined, 'upload')).toThrow(NotFoundError);
  });
  it('reports a patient of another organisation as not found', () => {
    const outsider = { userId: randomUUID(), orgId: randomUUID(), role: 'clinician' as const };
    expect(() => assertPatientAccess(outsider, patient.userId, patient, undefined, 'read')).toThrow(NotFoundError);
  });
  it('reports a non-patient user id as not found', () => {
    const admin: User = { ...patient, role: 'admin' };
    expect(() => assertPatientAccess(clinician, admin.userId, admin, membership, 'read')).toThrow(NotFoundError);
  });
});
