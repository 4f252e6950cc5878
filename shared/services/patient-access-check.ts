// Loads what the access rules need (the patient and the caller's membership) and applies them.
import type { Caller } from '../domain/caller.ts';
import { assertPatientAccess, type PatientAction } from '../domain/patient-access.ts';
import type { User } from '../domain/user.ts';
import { getMembership } from '../data/care-team-store.ts';
import type { TableClient } from '../data/table-client.ts';
import { getUser } from '../data/user-store.ts';

export async function requirePatientAccess(table: TableClient, caller: Caller, patientId: string, action: PatientAction): Promise<User> {
  const [patient, membership] = await Promise.all([
    getUser(table, patientId),
    caller.userId === patientId ? Promise.resolve(undefined) : getMembership(table, patientId, caller.userId),
  ]);
  assertPatientAccess(caller, patientId, patient, membership, action);
  return patient;
}
