// Who may read, edit and disable whose account. Pure rules over records already loaded.
import type { CareTeamMembership } from './care-team.ts';
import type { Caller } from './caller.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { User } from './user.ts';

export type UserAction = 'read' | 'edit' | 'disable';

/**
 * Throws unless `caller` may act on `target`. Admins manage everyone of their organisation;
 * a clinician reads, edits and discharges their own patients and reads fellow clinicians (to
 * hand patients over); a caregiver reads the patients they look after; everyone reads and edits
 * themselves. An account the caller may not see answers not found.
 */
export function assertUserAccess(
  caller: Caller,
  userId: string,
  target: User | undefined,
  membership: CareTeamMembership | undefined,
  action: UserAction,
): asserts target is User {
  if (target === undefined || target.orgId !== caller.orgId) throw new NotFoundError(`user ${userId} not found`);
  const isSelf = caller.userId === target.userId;
  const caresFor = target.role === 'patient' && membership?.memberRole === caller.role;
  const colleague = caller.role === 'clinician' && target.role === 'clinician';
  const visible = isSelf || caller.role === 'admin' || caresFor || colleague;
  if (!visible) throw new NotFoundError(`user ${userId} not found`);
  if (action === 'read') return;
  const clinicianOfPatient = caresFor && caller.role === 'clinician';
  if (action === 'edit' && (isSelf || caller.role === 'admin' || clinicianOfPatient)) return;
  if (action === 'disable' && (caller.role === 'admin' || clinicianOfPatient)) return;
  throw new ForbiddenError(
    action === 'edit'
      ? `you may not edit user ${userId}: admins edit anyone of the organisation, clinicians their patients, everyone themselves`
      : `you may not disable user ${userId}: admins disable accounts, clinicians discharge their own patients`,
  );
}
