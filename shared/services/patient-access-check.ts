// Loads what the access rules need (the patient and the caller's membership) and applies them.
// Every check notes the patient for the request's audit entry first, so a refused look is
// recorded as well as an allowed one.
import { noteAccessTo } from '../audit/access-notes.ts';
import type { Caller } from '../domain/caller.ts';
import { assertPatientAccess, type PatientAccess } from '../domain/patient-access.ts';
import type { User } from '../domain/user.ts';
import { getMembership } from '../data/care-team-store.ts';
import type { TableClient } from '../data/table-client.ts';
import { getUser } from '../data/user-store.ts';

export async function requirePatientAccess(table: TableClient, caller: Caller, patientId: string, access: PatientAccess): Promise<User> {
  noteAccessTo(patientId);
  const [patient, membership] = await Promise.all([
    getUser(table, patientId),
    caller.userId === patientId ? Promise.resolve(undefined) : getMembership(table, patientId, caller.userId),
  ]);
  assertPatientAccess(caller, patientId, patient, membership, access);
  return patient;
}
