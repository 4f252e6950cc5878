import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { CareTeamMembership } from '../../../shared/domain/care-team.ts';
import type { Caller } from '../../../shared/domain/caller.ts';
import { alertNeed, type ConsentScope, ECG_NEED, vitalsNeed } from '../../../shared/domain/consent.ts';
import { ForbiddenError, NotFoundError } from '../../../shared/domain/errors.ts';
import {
  assertPatientAccess,
  CONSENT,
  MANAGE,
  OWN_RECORD,
  PROFILE,
  type PatientAccess,
  readingOf,
  STAFF,
  TEAM,
  UPLOAD,
} from '../../../shared/domain/patient-access.ts';
import { User } from '../../../shared/domain/user.ts';

const orgId = randomUUID();
const patient = User.parse({
  userId: randomUUID(),
  orgId,
  email: 'p@example.org',
  name: 'P',
  role: 'patient',
  createdAt: '2026-01-01T00:00:00Z',
});
const self: Caller = { userId: patient.userId, orgId, role: 'patient' };
const clinician: Caller = { userId: randomUUID(), orgId, role: 'clinician' };
const admin: Caller = { userId: randomUUID(), orgId, role: 'admin' };
const caregiver: Caller = { userId: randomUUID(), orgId, role: 'caregiver' };

const membershipOf = (member: Caller, scopes?: ConsentScope[]): CareTeamMembership => ({
  patientId: patient.userId,
  memberId: member.userId,
  memberRole: member.role === 'caregiver' ? 'caregiver' : 'clinician',
  orgId,
  addedAt: '2026-01-01T00:00:00Z',
  ...(scopes === undefined ? {} : { scopes }),
});

const check = (caller: Caller, access: PatientAccess, membership?: CareTeamMembership) => () =>
  assertPatientAccess(caller, patient.userId, patient, membership, access);

describe('assertPatientAccess', () => {
  it('lets a clinician on the care team read, manage, decide consent and staff the team', () => {
    const membership = membershipOf(clinician);
    for (const access of [readingOf(ECG_NEED), MANAGE, CONSENT, STAFF, TEAM, PROFILE]) {
      expect(check(clinician, access, membership)).not.toThrow();
    }
  });
  it('reports the patient as not found to a clinician who is not on the care team', () => {
    expect(check(clinician, readingOf([]))).toThrow(NotFoundError);
  });
  it('lets the patient read everything and decide consent, but not manage monitoring or staff the team', () => {
    expect(check(self, readingOf(ECG_NEED))).not.toThrow();
    expect(check(self, CONSENT)).not.toThrow();
    expect(check(self, OWN_RECORD)).not.toThrow();
    expect(check(self, MANAGE)).toThrow(ForbiddenError);
    expect(check(self, STAFF)).toThrow(ForbiddenError);
  });
  it('lets only the patient upload their own measurements and read their own access log', () => {
    expect(check(self, UPLOAD)).not.toThrow();
    expect(check(clinician, UPLOAD, membershipOf(clinician))).toThrow(ForbiddenError);
    expect(check(clinician, OWN_RECORD, membershipOf(clinician))).toThrow(ForbiddenError);
  });
  it('shows an admin the patient and lets them staff the team, but not read health data', () => {
    expect(check(admin, PROFILE)).not.toThrow();
    expect(check(admin, STAFF)).not.toThrow();
    expect(check(admin, TEAM)).not.toThrow();
    expect(check(admin, readingOf([]))).toThrow(ForbiddenError);
    expect(check(admin, CONSENT)).toThrow(ForbiddenError);
  });
  it('lets a caregiver read exactly what their scopes cover', () => {
    const membership = membershipOf(caregiver, ['vitals:heart_rate', 'alerts']);
    expect(check(caregiver, readingOf(vitalsNeed('heart_rate')), membership)).not.toThrow();
    expect(check(caregiver, readingOf(alertNeed({ cause: 'heart_rate.high', metric: 'heart_rate' })), membership)).not.toThrow();
    expect(check(caregiver, readingOf(vitalsNeed('spo2')), membership)).toThrow(/vitals:spo2/);
    expect(check(caregiver, readingOf(ECG_NEED), membership)).toThrow(ForbiddenError);
    expect(check(caregiver, readingOf(alertNeed({ cause: 'ecg.pause' })), membership)).toThrow(/ecg/);
  });
  it('never lets a caregiver change consent, staff the team or see the rest of it', () => {
    const membership = membershipOf(caregiver, ['vitals:*', 'ecg', 'alerts', 'sos']);
    expect(check(caregiver, CONSENT, membership)).toThrow(ForbiddenError);
    expect(check(caregiver, STAFF, membership)).toThrow(ForbiddenError);
    expect(check(caregiver, TEAM, membership)).toThrow(ForbiddenError);
    expect(check(caregiver, MANAGE, membership)).toThrow(ForbiddenError);
  });
  it('reports the patient as not found to a caregiver who is not on the care team', () => {
    expect(check(caregiver, PROFILE)).toThrow(NotFoundError);
  });
  it("reports another patient's data as not found", () => {
    const other: Caller = { userId: randomUUID(), orgId, role: 'patient' };
    expect(check(other, readingOf([]))).toThrow(NotFoundError);
    expect(check(other, UPLOAD)).toThrow(NotFoundError);
  });
  it('reports a patient of another organisation as not found, to its admin too', () => {
    expect(check({ userId: randomUUID(), orgId: randomUUID(), role: 'clinician' }, readingOf([]))).toThrow(NotFoundError);
    expect(check({ userId: randomUUID(), orgId: randomUUID(), role: 'admin' }, PROFILE)).toThrow(NotFoundError);
  });
  it('reports a non-patient user id as not found', () => {
    const notPatient = { ...patient, role: 'admin' as const };
    expect(() => assertPatientAccess(clinician, notPatient.userId, notPatient, membershipOf(clinician), readingOf([]))).toThrow(
      NotFoundError,
    );
  });
});
