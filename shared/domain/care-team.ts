// Who looks after a patient (clinicians) or shares their data (caregivers, with consent).
import { z } from 'zod';
import { ConsentScopeName } from './consent.ts';
import { Id } from './identifiers.ts';
import { Timestamp } from './time.ts';

export const CareTeamRole = z.enum(['clinician', 'caregiver']);
export type CareTeamRole = z.infer<typeof CareTeamRole>;

export const CareTeamMembership = z.object({
  patientId: Id,
  memberId: Id,
  memberRole: CareTeamRole,
  orgId: Id,
  addedAt: Timestamp,
  /** Who put the member on the team (absent for the enrolling clinician of older records). */
  addedBy: Id.optional(),
  /** Caregivers only: what the patient consented to share with them. */
  scopes: z.array(ConsentScopeName).optional(),
  /** When the scopes last changed, and by whom. */
  scopesChangedAt: Timestamp.optional(),
  scopesChangedBy: Id.optional(),
});
export type CareTeamMembership = z.infer<typeof CareTeamMembership>;

/** The scopes a membership grants: none for a caregiver without consent yet. */
export function scopesOf(membership: CareTeamMembership): readonly z.infer<typeof ConsentScopeName>[] {
  return membership.scopes ?? [];
}

/**
 * A care team always keeps at least one clinician: someone must receive the patient's alerts.
 * Enforced by a counter on the patient's record, decremented only while it stays above zero.
 */
export const MIN_CLINICIANS_PER_PATIENT = 1;
