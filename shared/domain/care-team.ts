// Who looks after a patient (clinicians) or shares their data (caregivers, with consent).
import { z } from 'zod';
import { Id } from './identifiers.ts';
import { MetricName } from './metrics.ts';
import { Timestamp } from './time.ts';

export const CareTeamRole = z.enum(['clinician', 'caregiver']);
export type CareTeamRole = z.infer<typeof CareTeamRole>;

export const CareTeamMembership = z.object({
  patientId: Id,
  memberId: Id,
  memberRole: CareTeamRole,
  orgId: Id,
  addedAt: Timestamp,
  /** Caregivers only: the metrics the patient consented to share. */
  scopes: z.array(MetricName).optional(),
});
export type CareTeamMembership = z.infer<typeof CareTeamMembership>;
