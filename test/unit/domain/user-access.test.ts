import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { CareTeamMembership } from '../../../shared/domain/care-team.ts';
import type { Caller } from '../../../shared/domain/caller.ts';
import { ForbiddenError, NotFoundError } from '../../../shared/domain/errors.ts';
import type { Role } from '../../../shared/domain/roles.ts';
import { assertUserAccess, type UserAction } from '../../../shared/domain/user-access.ts';
import { User } from '../../../shared/domain/user.ts';

const orgId = randomUUID();
const otherOrgId = randomUUID();

const userOf = (role: Role, org = orgId): User =>
  User.parse({
    userId: randomUUID(),
    orgId: org,
    email: `${role}-${randomUUID()}@example.org`,
    name: role,
    role,
    createdAt: '2026-01-01T00:00:00Z',
  });
const callerOf = (user: User): Caller => ({ userId: user.userId, orgId: user.orgId, role: user.role });

const admin = userOf('admin');
const otherAdmin = userOf('admin');
const clinician = userOf('clinician');
const colleague = userOf('clinician');
const patient = userOf('patient');
const otherPatient = userOf('patient');
const caregiver = userOf('caregiver');
const otherCaregiver = userOf('caregiver');
const foreignPatient = userOf('patient', otherOrgId);
const foreignClinician = userOf('clinician', otherOrgId);

const ACTIONS: readonly UserAction[] = ['read', 'edit', 'disable'];

/** The membership the service loads for (target, caller): the caller on the target's care team. */
const onTeamOf = (
  target: User,
  member: User,
  memberRole: 'clinician' | 'caregiver' = member.role as 'clinician' | 'caregiver',
): CareTeamMembership => ({
  patientId: target.userId,
  memberId: member.userId,
  memberRole,
  orgId: target.orgId,
  addedAt: '2026-01-01T00:00:00Z',
});

const act =
  (caller: User, target: User | undefined, action: UserAction, membership?: CareTeamMembership, userId = target?.userId ?? randomUUID()) =>
  () =>
    assertUserAccess(callerOf(caller), userId, target, membership, action);

describe('assertUserAccess', () => {
  describe('an admin', () => {
    it('reads, edits and disables anyone of the organisation without being on a care team', () => {
      for (const target of [patient, clinician, caregiver, otherAdmin]) {
        for (const action of ACTIONS) expect(act(admin, target, action), `${target.role} ${action}`).not.toThrow();
      }
    });

    it('finds no one of another organisation', () => {
      for (const action of ACTIONS) expect(act(admin, foreignPatient, action)).toThrow(NotFoundError);
    });
  });

  describe('a clinician', () => {
    it('reads, edits and discharges a patient in their care', () => {
      const membership = onTeamOf(patient, clinician);
      for (const action of ACTIONS) expect(act(clinician, patient, action, membership), action).not.toThrow();
    });

    it('finds no patient outside their care, whatever the action', () => {
      for (const action of ACTIONS) expect(act(clinician, otherPatient, action), action).toThrow(NotFoundError);
    });

    it('finds no patient whose care team has them only as a caregiver', () => {
      expect(act(clinician, patient, 'read', onTeamOf(patient, clinician, 'caregiver'))).toThrow(NotFoundError);
    });

    it('reads a fellow clinician, to hand patients over, but may neither edit nor disable them', () => {
      expect(act(clinician, colleague, 'read')).not.toThrow();
      expect(act(clinician, colleague, 'edit')).toThrow(ForbiddenError);
      expect(act(clinician, colleague, 'disable')).toThrow(ForbiddenError);
    });

    it('finds no admin or caregiver', () => {
      expect(act(clinician, admin, 'read')).toThrow(NotFoundError);
      expect(act(clinician, caregiver, 'read')).toThrow(NotFoundError);
    });

    it('finds no clinician of another organisation', () => {
      expect(act(clinician, foreignClinician, 'read')).toThrow(NotFoundError);
    });
  });

  describe('a caregiver', () => {
    it('reads the patient they look after', () => {
      expect(act(caregiver, patient, 'read', onTeamOf(patient, caregiver))).not.toThrow();
    });

    it('may neither edit nor disable the patient they look after', () => {
      const membership = onTeamOf(patient, caregiver);
      expect(act(caregiver, patient, 'edit', membership)).toThrow(ForbiddenError);
      expect(act(caregiver, patient, 'disable', membership)).toThrow(ForbiddenError);
    });

    it('finds no patient they do not look after', () => {
      expect(act(caregiver, otherPatient, 'read')).toThrow(NotFoundError);
    });

    it('gains nothing from a membership recorded with the clinician role', () => {
      const membership = onTeamOf(patient, caregiver, 'clinician');
      expect(act(caregiver, patient, 'read', membership)).toThrow(NotFoundError);
      expect(act(caregiver, patient, 'edit', membership)).toThrow(NotFoundError);
    });

    it('finds no clinician, admin or other caregiver', () => {
      for (const target of [clinician, admin, otherCaregiver]) expect(act(caregiver, target, 'read'), target.role).toThrow(NotFoundError);
    });
  });

  describe('a patient', () => {
    it('finds no other patient, nor their own clinician or caregiver', () => {
      for (const target of [otherPatient, clinician, caregiver, admin])
        expect(act(patient, target, 'read'), target.role).toThrow(NotFoundError);
    });
  });

  describe('anyone on their own account', () => {
    it('reads and edits themselves', () => {
      for (const self of [admin, clinician, patient, caregiver]) {
        expect(act(self, self, 'read'), self.role).not.toThrow();
        expect(act(self, self, 'edit'), self.role).not.toThrow();
      }
    });

    it('may not disable themselves unless an admin', () => {
      for (const self of [clinician, patient, caregiver]) expect(act(self, self, 'disable'), self.role).toThrow(ForbiddenError);
    });
  });

  it('answers not found for an id with no user, naming the id asked for', () => {
    const userId = randomUUID();
    expect(act(admin, undefined, 'read', undefined, userId)).toThrow(new NotFoundError(`user ${userId} not found`));
  });

  it('says why an edit or a disable was refused', () => {
    expect(act(clinician, colleague, 'edit')).toThrow(/clinicians their patients, everyone themselves/);
    expect(act(patient, patient, 'disable')).toThrow(/clinicians discharge their own patients/);
  });

  it('answers a user of another organisation exactly as a missing one', () => {
    expect(act(admin, foreignPatient, 'read')).toThrow(new NotFoundError(`user ${foreignPatient.userId} not found`));
  });
});
