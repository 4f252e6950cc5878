// Which patients a request reached, noted where access is checked and read by the HTTP
// plumbing when it writes the request's audit entries. Carried by the request's async context
// rather than passed through every service, so that no access check, present or future, can
// forget to be audited: the check itself notes the patient.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface AccessNotes {
  /** Patients whose data the request touched or tried to, in the order first reached. */
  readonly patientIds: Set<string>;
}

const current = new AsyncLocalStorage<AccessNotes>();

/** Runs `work` with fresh notes and hands them back with its outcome, whether it resolved or threw. */
export async function withAccessNotes<T>(
  work: () => Promise<T>,
): Promise<{ notes: AccessNotes; result: { ok: true; value: T } | { ok: false; error: unknown } }> {
  const notes: AccessNotes = { patientIds: new Set() };
  try {
    return { notes, result: { ok: true, value: await current.run(notes, work) } };
  } catch (error) {
    return { notes, result: { ok: false, error } };
  }
}

/** Notes that the running request reaches `patientId`'s data; outside a request (queue work) nothing is noted. */
export function noteAccessTo(...patientIds: readonly string[]): void {
  const notes = current.getStore();
  if (notes) for (const patientId of patientIds) notes.patientIds.add(patientId);
}
