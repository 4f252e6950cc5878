import type { z } from 'zod';
import { User } from './user.ts';

/** Who is calling, as established from a verified token and our own user record. */
export const Caller = User.pick({ userId: true, orgId: true, role: true });
export type Caller = z.infer<typeof Caller>;
