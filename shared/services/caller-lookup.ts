// From a verified subject to a Caller: role and organisation come from our own user
// record, never from token claims or the request.
import type { Caller } from '../domain/caller.ts';
import { type TableClient, tableClientFromEnv } from '../data/table-client.ts';
import { getUser } from '../data/user-store.ts';

export async function lookupCaller(table: TableClient, sub: string): Promise<Caller | undefined> {
  const user = await getUser(table, sub);
  return user ? { userId: user.userId, orgId: user.orgId, role: user.role } : undefined;
}

/** The dependency every HTTP function with signed-in routes passes to httpFunction. */
export const callerFromTable = { loadCaller: (sub: string) => lookupCaller(tableClientFromEnv(), sub) };
