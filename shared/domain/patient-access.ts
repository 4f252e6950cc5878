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
 * Throws unless `caller` may perform `action` on `patient`. A patient the caller may not see
 * at all (another organisation, not in their care, another patient) is reported as not found,
 * so ids cannot be probed; one they may see but not act on this way is forbidden.
 */
export function assertPatientAccess(
  caller: Caller,
  patientId: string,
  patient: User | undefined,
  membership: CareTeamMembership | undefined,
  action: PatientAction,
): asserts patient is User {
  const notFound = () => new NotFoundError(`patient ${patientId} not found`);
  if (patient?.role !== 'patient' || patient.orgId !== caller.orgId) throw notFound();
  const isSelf = caller.userId === patient.userId;
  const isClinician = caller.role === 'clinician' && membership?.memberRole === 'clinician';
  const isCaregiver = caller.role === 'caregiver' && membership?.memberRole === 'caregiver';
  if (!(isSelf || isClinician || isCaregiver)) throw notFound();
  if (action === 'upload' && !isSelf) throw new ForbiddenError('only the patient can upload their own measurements');
  if (action === 'manage' && !isClinician)
    throw new ForbiddenError(`only the clinicians of patient ${patientId} can change how they are monitored`);
}
