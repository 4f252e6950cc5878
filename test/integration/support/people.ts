// People stored straight into the suite's table, for tests whose subject is something else.
import { randomUUID } from 'node:crypto';
import { createUser } from '../../../shared/data/user-store.ts';
import type { TableClient } from '../../../shared/data/table-client.ts';
import type { Caller } from '../../../shared/domain/caller.ts';

export async function storedClinician(table: TableClient, orgId: string = randomUUID()): Promise<Caller> {
  const clinician: Caller = { userId: randomUUID(), orgId, role: 'clinician' };
  await createUser(table, { ...clinician, email: `c-${clinician.userId}@example.org`, name: 'C', createdAt: new Date().toISOString() });
  return clinician;
}

/** A patient, on `primaryClinicianId`'s care team when one is given. */
export async function storedPatient(
  table: TableClient,
  { orgId = randomUUID(), primaryClinicianId }: { orgId?: string; primaryClinicianId?: string } = {},
): Promise<Caller> {
  const patient: Caller = { userId: randomUUID(), orgId, role: 'patient' };
  await createUser(table, {
    ...patient,
    email: `p-${patient.userId}@example.org`,
    name: 'P',
    createdAt: new Date().toISOString(),
    ...(primaryClinicianId === undefined ? {} : { primaryClinicianId }),
  });
  return patient;
}
