// Setting and reading thresholds at clinician and patient scope, and resolving the one in
// force for a patient.
import type { Metric } from '../domain/metrics.ts';
import type { Caller } from '../domain/caller.ts';
import { completeThreshold, effectiveThreshold, type Threshold, type ThresholdLimits, thresholdProblems } from '../domain/thresholds.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { validationErrorOf } from '../domain/validation.ts';
import type { TableClient } from '../data/table-client.ts';
import { deleteThreshold, getThresholdsAlongFallback, getThresholdsAlongFallbackOf, putThreshold } from '../data/threshold-store.ts';
import { requirePatientAccess } from './patient-access-check.ts';
import { MANAGE } from '../domain/patient-access.ts';

export interface ThresholdServiceDependencies {
  table: TableClient;
  now?: () => Date;
}

/** The request completed with defaults, once it makes a threshold that can raise and clear. */
function thresholdFrom(metric: Metric, request: Partial<ThresholdLimits>): ThresholdLimits {
  const problems = thresholdProblems(metric, request);
  if (problems.length > 0) throw validationErrorOf(problems.map((problem) => ({ ...problem, path: `body.${problem.path}` })));
  return completeThreshold(request);
}

const stamp = (deps: ThresholdServiceDependencies, caller: Caller) => ({
  updatedAt: (deps.now?.() ?? new Date()).toISOString(),
  updatedBy: caller.userId,
});

export async function setPatientThreshold(
  deps: ThresholdServiceDependencies,
  caller: Caller,
  patientId: string,
  metric: Metric,
  request: Partial<ThresholdLimits>,
): Promise<Threshold> {
  const limits = thresholdFrom(metric, request);
  await requirePatientAccess(deps.table, caller, patientId, MANAGE);
  const threshold: Threshold & { scope: 'patient' } = { metric, scope: 'patient', ...limits, ...stamp(deps, caller) };
  await putThreshold(deps.table, patientId, threshold);
  return threshold;
}

export async function setClinicianThreshold(
  deps: ThresholdServiceDependencies,
  caller: Caller,
  metric: Metric,
  request: Partial<ThresholdLimits>,
): Promise<Threshold> {
  const threshold: Threshold & { scope: 'clinician' } = {
    metric,
    scope: 'clinician',
    ...thresholdFrom(metric, request),
    ...stamp(deps, caller),
  };
  await putThreshold(deps.table, caller.userId, threshold);
  return threshold;
}

export async function getClinicianThreshold(deps: ThresholdServiceDependencies, caller: Caller, metric: Metric): Promise<Threshold> {
  const { clinician } = await getThresholdsAlongFallback(deps.table, metric, { clinicianId: caller.userId });
  if (!clinician) throw new NotFoundError(`you have no default threshold for ${metric}`);
  return clinician;
}

/** The threshold in force for a patient's metric, or undefined when no scope defines one. */
/** The thresholds in force for several of a patient's metrics, read in one round trip. */
export async function resolvePatientThresholds(
  table: TableClient,
  patient: User,
  metrics: readonly Metric[],
): Promise<Map<Metric, Threshold>> {
  const stored = await getThresholdsAlongFallbackOf(table, metrics, {
    patientId: patient.userId,
    ...(patient.primaryClinicianId ? { clinicianId: patient.primaryClinicianId } : {}),
    orgId: patient.orgId,
  });
  const resolved = new Map<Metric, Threshold>();
  for (const metric of metrics) {
    const threshold = effectiveThreshold(metric, stored.get(metric) ?? {});
    if (threshold) resolved.set(metric, threshold);
  }
  return resolved;
}

export async function resolvePatientThreshold(table: TableClient, patient: User, metric: Metric): Promise<Threshold | undefined> {
  const stored = await getThresholdsAlongFallback(table, metric, {
    patientId: patient.userId,
    ...(patient.primaryClinicianId ? { clinicianId: patient.primaryClinicianId } : {}),
    orgId: patient.orgId,
  });
  return effectiveThreshold(metric, stored);
}

export async function getPatientThreshold(
  deps: ThresholdServiceDependencies,
  caller: Caller,
  patientId: string,
  metric: Metric,
): Promise<Threshold> {
  const patient = await requirePatientAccess(deps.table, caller, patientId, MANAGE);
  const threshold = await resolvePatientThreshold(deps.table, patient, metric);
  if (!threshold) throw new NotFoundError(`no threshold applies to ${metric} for patient ${patientId}`);
  return threshold;
}

export async function removePatientThreshold(
  deps: ThresholdServiceDependencies,
  caller: Caller,
  patientId: string,
  metric: Metric,
): Promise<void> {
  await requirePatientAccess(deps.table, caller, patientId, MANAGE);
  const removed = await deleteThreshold(deps.table, 'patient', patientId, metric);
  if (!removed) throw new NotFoundError(`patient ${patientId} has no own threshold for ${metric}`);
}
