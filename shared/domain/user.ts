// People and the organisations they belong to.
import { z } from 'zod';
import { Email, Id } from './identifiers.ts';
import { Role } from './roles.ts';
import { PersonName } from './text.ts';
import { Timestamp } from './time.ts';

export const Organisation = z.object({
  orgId: Id,
  name: PersonName,
  createdAt: Timestamp,
});
export type Organisation = z.infer<typeof Organisation>;

export const User = z.object({
  /** The Cognito `sub`: a verified token leads straight to the profile. */
  userId: Id,
  orgId: Id,
  email: Email,
  name: PersonName,
  role: Role,
  createdAt: Timestamp,
  /** Patients only: the clinician who enrolled them, whose defaults apply to their thresholds. */
  primaryClinicianId: Id.optional(),
});
export type User = z.infer<typeof User>;
