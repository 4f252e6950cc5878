import type { User } from './user.ts';

/** Who is calling, as established from a verified token and our own user record. */
export type Caller = Pick<User, 'userId' | 'orgId' | 'role'>;
