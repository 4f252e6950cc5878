// People and the organisations they belong to.
import { z } from 'zod';
import { Email, Id } from './identifiers.ts';
import { Role } from './roles.ts';
import { PersonName, PhoneNumber } from './text.ts';
import { Timestamp } from './time.ts';
import { DEFAULT_TIME_ZONE, TimeZone } from './time-zone.ts';

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
  phone: PhoneNumber.optional(),
  /** Days in roll-ups and reports are this zone's days. */
  timeZone: TimeZone.default(DEFAULT_TIME_ZONE),
  /** Patients only: the clinician who enrolled them, whose defaults apply to their thresholds. */
  primaryClinicianId: Id.optional(),
  /** Set when the account was disabled: sign-in and every token are refused from then on; the record stays. */
  disabledAt: Timestamp.optional(),
  disabledBy: Id.optional(),
});
export type User = z.infer<typeof User>;
