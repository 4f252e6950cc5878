// Loads what the access rules need (the patient and the caller's membership) and applies them.
import { getMembership } from '../data/care-team-store.ts';
import type { TableClient } from '../data/table-client.ts';
import { getUser, type UserRecord } from '../data/user-store.ts';
import type { Caller } from '../domain/caller.ts';
import { assertPatientAccess, type PatientAction } from '../domain/patient-access.ts';

export async function requirePatientAccess(
  table: TableClient,
  caller: Caller,
  patientId: string,
  action: PatientAction,
): Promise<UserRecord> {
  const [patient, membership] = await Promise.all([
    getUser(table, patientId),
    caller.userId === patientId ? Promise.resolve(undefined) : getMembership(table, patientId, caller.userId),
  ]);
  assertPatientAccess(caller, patientId, patient, membership, action);
  return patient;
}
