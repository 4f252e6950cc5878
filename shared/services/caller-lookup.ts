// From a verified subject to a Caller: role and organisation come from our own user
// record, never from token claims or the request. A disabled account is found, so that its
// refused requests are audited, and marked so that nothing is served to it.
import type { Caller } from '../domain/caller.ts';
import type { AuditEntry } from '../domain/audit-entry.ts';
import { writeAuditEntries } from '../data/audit-store.ts';
import { type TableClient, tableClientFromEnv } from '../data/table-client.ts';
import { getUser } from '../data/user-store.ts';

export interface CallerRecord extends Caller {
  /** The account was disabled: every token it still holds is refused. */
  disabled: boolean;
}

export async function lookupCaller(table: TableClient, sub: string): Promise<CallerRecord | undefined> {
  const user = await getUser(table, sub);
  return user ? { userId: user.userId, orgId: user.orgId, role: user.role, disabled: user.disabledAt !== undefined } : undefined;
}

/** The caller of an enabled account, or undefined for an unknown or disabled one. */
export async function lookupEnabledCaller(table: TableClient, sub: string): Promise<Caller | undefined> {
  const record = await lookupCaller(table, sub);
  if (!record || record.disabled) return undefined;
  return { userId: record.userId, orgId: record.orgId, role: record.role };
}

/** What every HTTP function with signed-in routes passes to httpFunction: callers and the audit trail from the table. */
export const signedInRoutes = {
  loadCaller: (sub: string) => lookupCaller(tableClientFromEnv(), sub),
  writeAudit: (entries: readonly AuditEntry[]) => writeAuditEntries(tableClientFromEnv(), entries),
};
