// Who may do what with a patient's data. Pure rules over records the caller has loaded;
// the services fetch the patient and the caller's membership, then ask here.
import type { CareTeamMembership } from './care-team.ts';
import type { Caller } from './caller.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { User } from './user.ts';

export type PatientAction =
  /** See the patient's data: alerts, recordings, findings. */
  | 'read'
  /** Change how the patient is monitored: thresholds. */
  | 'manage'
  /** Send measurements as the patient: ECG and vitals upload. */
  | 'upload';

/**
 * Throws unless `caller` may perform `action` on `patient`. A patient outside the caller's
 * organisation is reported as not found, so ids cannot be probed across organisations.
 */
export function assertPatientAccess(
  caller: Caller,
  patientId: string,
  patient: User | undefined,
  membership: CareTeamMembership | undefined,
  action: PatientAction,
): asserts patient is User {
  if (patient?.role !== 'patient' || patient.orgId !== caller.orgId) {
    throw new NotFoundError(`patient ${patientId} not found`);
  }
  const isSelf = caller.userId === patient.userId;
  const isClinician = caller.role === 'clinician' && membership?.memberRole === 'clinician';
  const isCaregiver = caller.role === 'caregiver' && membership?.memberRole === 'caregiver';
  const allowed = action === 'upload' ? isSelf : action === 'manage' ? isClinician : isSelf || isClinician || isCaregiver;
  if (!allowed) {
    throw new ForbiddenError(
      action === 'upload' ? 'only the patient can upload their own measurements' : `you are not on the care team of patient ${patientId}`,
    );
  }
}
