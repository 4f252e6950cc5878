// SOS: the patient, or a caregiver they trust with it, calls for help. The call opens a
// high-priority alert at once for every clinician and every caregiver whose consent covers
// SOS; another call while it is open updates it (count, newest location); cancelling resolves it.
import type { Caller } from '../domain/caller.ts';
import { ConflictError, LimitExceededError } from '../domain/errors.ts';
import { readingOf } from '../domain/patient-access.ts';
import { SOS_CANCELLED, SOS_CAUSE, SOS_RATE_LIMIT, type SosCall, sosMessage } from '../domain/sos.ts';
import { getOpenAlert } from '../data/alert-store.ts';
import { takeFromRateLimit } from '../data/rate-limit-store.ts';
import { type AlertRaisingDependencies, alertViewFor, raiseAlert, resolveWithReason } from './alert-service.ts';
import { requirePatientAccess } from './patient-access-check.ts';

const SOS_NEED = readingOf(['sos']);

export async function callSos(deps: AlertRaisingDependencies, caller: Caller, patientId: string, call: SosCall) {
  const patient = await requirePatientAccess(deps.table, caller, patientId, SOS_NEED);
  const now = deps.now?.() ?? new Date();
  if (!(await takeFromRateLimit(deps.table, 'sos', patientId, SOS_RATE_LIMIT, now.getTime()))) {
    throw new LimitExceededError(
      `at most ${SOS_RATE_LIMIT.calls} SOS calls per patient in ${SOS_RATE_LIMIT.perSeconds} s; the open SOS alert already reached the care team`,
    );
  }
  const { alert } = await raiseAlert(deps, {
    patientId,
    orgId: patient.orgId,
    cause: SOS_CAUSE,
    priority: 'high',
    message: sosMessage(call),
    firstSeenAt: now.toISOString(),
    raisedBy: caller.userId,
    ...(call.location === undefined ? {} : { location: call.location }),
  });
  return alertViewFor(alert, caller.role);
}

/** Cancels the patient's open SOS, resolving it with that reason. */
export async function cancelSos(deps: AlertRaisingDependencies, caller: Caller, patientId: string) {
  await requirePatientAccess(deps.table, caller, patientId, SOS_NEED);
  const open = await getOpenAlert(deps.table, patientId, SOS_CAUSE);
  const reason = caller.userId === patientId ? SOS_CANCELLED.byPatient : SOS_CANCELLED.byCaregiver;
  const resolved = open && (await resolveWithReason(deps, open, caller.userId, reason));
  if (!resolved) throw new ConflictError('no SOS is open for this patient');
  return alertViewFor(resolved, caller.role);
}
