// The roles people have, and who may enrol whom.
import { z } from 'zod';

export const ROLES = ['admin', 'clinician', 'patient', 'caregiver'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Which roles each role may create. A patient joins the care team of the clinician who creates them. */
const MAY_CREATE: Record<Role, readonly Role[]> = {
  admin: ['admin', 'clinician'],
  clinician: ['patient'],
  patient: [],
  caregiver: [],
};

export function mayCreate(creator: Role, created: Role): boolean {
  return MAY_CREATE[creator].includes(created);
}

/** "an admin", "a clinician". */
export function withArticle(role: Role): string {
  return `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
}
