// Who may do what with a patient's data. Pure rules over records the caller has loaded;
// the services fetch the patient and the caller's membership, then ask here.
import type { CareTeamMembership } from './care-team.ts';
import { scopesOf } from './care-team.ts';
import type { Caller } from './caller.ts';
import { type ConsentNeed, consentCovers, missingScopes } from './consent.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { User } from './user.ts';

export type PatientAccess =
  /** See who the patient is: their profile and care team. */
  | { kind: 'profile' }
  /** See the patient's health data; a caregiver needs consent covering `need`. */
  | { kind: 'read'; need: ConsentNeed }
  /** Change how the patient is monitored: thresholds, alert handling. */
  | { kind: 'manage' }
  /** Send measurements as the patient: ECG and vitals upload. */
  | { kind: 'upload' }
  /** Decide what caregivers see: invite them, change or revoke their consent. */
  | { kind: 'consent' }
  /** Put clinicians on the care team or take them off it. */
  | { kind: 'staff' }
  /** See who is on the care team and what each caregiver may see. */
  | { kind: 'team' }
  /** Pair, list, update and unpair the patient's devices. */
  | { kind: 'devices' }
  /** The patient's own accounting of who saw their data. */
  | { kind: 'own-record' };

export const PROFILE: PatientAccess = { kind: 'profile' };
export const MANAGE: PatientAccess = { kind: 'manage' };
export const UPLOAD: PatientAccess = { kind: 'upload' };
export const CONSENT: PatientAccess = { kind: 'consent' };
export const STAFF: PatientAccess = { kind: 'staff' };
export const TEAM: PatientAccess = { kind: 'team' };
export const DEVICES: PatientAccess = { kind: 'devices' };
export const OWN_RECORD: PatientAccess = { kind: 'own-record' };
export const readingOf = (need: ConsentNeed): PatientAccess => ({ kind: 'read', need });
/** Health data that needs no particular scope beyond being on the team (clinicians' view of a recording list is ECG). */
export const READ_ANY: PatientAccess = readingOf([]);

/** How the caller stands to the patient, or undefined when they may not see the patient at all. */
type Standing = 'self' | 'clinician' | 'caregiver' | 'admin';

function standingOf(caller: Caller, patient: User, membership: CareTeamMembership | undefined): Standing | undefined {
  if (caller.userId === patient.userId) return 'self';
  if (caller.role === 'clinician' && membership?.memberRole === 'clinician') return 'clinician';
  if (caller.role === 'caregiver' && membership?.memberRole === 'caregiver') return 'caregiver';
  // Admins run the organisation's people: they see every patient, but not their health data.
  if (caller.role === 'admin') return 'admin';
  return undefined;
}

/**
 * Throws unless `caller` may have `access` to `patient`. A patient the caller may not see at all
 * (another organisation, not in their care, another patient) is reported as not found, so ids
 * cannot be probed; one they may see but not act on this way is forbidden.
 */
export function assertPatientAccess(
  caller: Caller,
  patientId: string,
  patient: User | undefined,
  membership: CareTeamMembership | undefined,
  access: PatientAccess,
): asserts patient is User {
  if (patient?.role !== 'patient' || patient.orgId !== caller.orgId) throw new NotFoundError(`patient ${patientId} not found`);
  const standing = standingOf(caller, patient, membership);
  if (standing === undefined) throw new NotFoundError(`patient ${patientId} not found`);
  const refuse = (why: string) => {
    throw new ForbiddenError(why);
  };
  switch (access.kind) {
    case 'profile':
      return;
    case 'read':
      if (standing === 'admin') refuse(`admins manage accounts and care teams, not health data of patient ${patientId}`);
      if (standing === 'caregiver' && membership && !consentCovers(scopesOf(membership), access.need)) {
        refuse(
          `patient ${patientId} has not consented to share this with you (needs ${missingScopes(scopesOf(membership), access.need).join(', ')})`,
        );
      }
      return;
    case 'manage':
      if (standing !== 'clinician') refuse(`only the clinicians of patient ${patientId} can change how they are monitored`);
      return;
    case 'upload':
      if (standing !== 'self') refuse('only the patient can upload their own measurements');
      return;
    case 'consent':
      if (standing !== 'self' && standing !== 'clinician')
        refuse(`only patient ${patientId} or their clinicians decide what caregivers see`);
      return;
    case 'staff':
      if (standing !== 'clinician' && standing !== 'admin')
        refuse(`only the clinicians of patient ${patientId} or an admin change their clinicians`);
      return;
    case 'devices':
      if (standing !== 'self' && standing !== 'clinician') refuse(`only patient ${patientId} and their clinicians manage their devices`);
      return;
    case 'team':
      if (standing === 'caregiver') refuse(`only patient ${patientId}, their clinicians and admins see their care team`);
      return;
    case 'own-record':
      if (standing !== 'self') refuse(`only patient ${patientId} reads their own access log`);
      return;
  }
}
