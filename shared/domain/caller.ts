import type { Role } from '../auth/user-pool-definition.ts';

/** Who is calling, as established from a verified token and our own user record. */
export interface Caller {
  readonly userId: string;
  readonly orgId: string;
  readonly role: Role;
}
