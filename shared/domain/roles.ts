// The roles people have, and who may enrol whom.
import { z } from 'zod';

export const ROLES = ['admin', 'clinician', 'patient', 'caregiver'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/**
 * Which roles each role may create. A patient joins the care team of the clinician who creates
 * them (or whom the creating admin names); caregivers are invited by or for a patient.
 */
const MAY_CREATE: Record<Role, readonly Role[]> = {
  admin: ['admin', 'clinician', 'patient'],
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

/** Staff roles an admin may move a person between; a patient or caregiver account keeps its role. */
export const CHANGEABLE_ROLES: readonly Role[] = ['admin', 'clinician'];

export function mayChangeRole(from: Role, to: Role): boolean {
  return CHANGEABLE_ROLES.includes(from) && CHANGEABLE_ROLES.includes(to);
}
