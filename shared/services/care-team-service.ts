// A patient's care team: clinicians put on and taken off it (cover, handoff), and family
// caregivers invited with the consent the patient gives, changed or revoked at any time.
import type { IdentityProvider } from '../auth/identity-provider.ts';
import type { CareTeamMembership, CareTeamRole } from '../domain/care-team.ts';
import type { Caller } from '../domain/caller.ts';
import type { ConsentScope } from '../domain/consent.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { CONSENT, PROFILE, STAFF, TEAM } from '../domain/patient-access.ts';
import type { User } from '../domain/user.ts';
import { addMember, getMembership, listCareTeam, removeMember, setCaregiverScopes } from '../data/care-team-store.ts';
import type { TableClient } from '../data/table-client.ts';
import { createUser, deleteUnusedUser, getUser, getUserIdByEmail, getUsers } from '../data/user-store.ts';
import { requirePatientAccess } from './patient-access-check.ts';
import { createAccount, saveProfile } from './user-service.ts';

export interface CareTeamServiceDependencies {
  table: TableClient;
  identity: IdentityProvider;
  now?: () => Date;
}

export interface CareTeamMember {
  userId: string;
  role: CareTeamRole;
  name: string;
  email: string;
  addedAt: string;
  addedBy?: string;
  /** Caregivers: what the patient consented to share. */
  scopes?: ConsentScope[];
  scopesChangedAt?: string;
  /** Set when the member's account is disabled. */
  disabledAt?: string;
}

const nowOf = (deps: { now?: () => Date }) => (deps.now?.() ?? new Date()).toISOString();

function memberView(membership: CareTeamMembership, user: User | undefined): CareTeamMember {
  return {
    userId: membership.memberId,
    role: membership.memberRole,
    name: user?.name ?? '(unknown)',
    email: user?.email ?? '',
    addedAt: membership.addedAt,
    ...(membership.addedBy === undefined ? {} : { addedBy: membership.addedBy }),
    ...(membership.memberRole === 'caregiver' ? { scopes: membership.scopes ?? [] } : {}),
    ...(membership.scopesChangedAt === undefined ? {} : { scopesChangedAt: membership.scopesChangedAt }),
    ...(user?.disabledAt === undefined ? {} : { disabledAt: user.disabledAt }),
  };
}

export async function getCareTeam(deps: Pick<CareTeamServiceDependencies, 'table'>, caller: Caller, patientId: string) {
  await requirePatientAccess(deps.table, caller, patientId, TEAM);
  const team = await listCareTeam(deps.table, patientId);
  const users = new Map(
    (
      await getUsers(
        deps.table,
        team.map((member) => member.memberId),
      )
    ).map((user) => [user.userId, user]),
  );
  return { patientId, members: team.map((membership) => memberView(membership, users.get(membership.memberId))) };
}

const notOnTeam = (patientId: string, userId: string) =>
  new NotFoundError(
    `caregiver ${userId} is not on the care team of patient ${patientId}; invite them with POST /v1/patients/${patientId}/caregivers`,
  );
const scopesProblem = (message: string) => new ValidationError(`scopes: ${message}`, [{ path: 'body.scopes', message }]);
const userProblem = (message: string) => new ValidationError(`userId: ${message}`, [{ path: 'params.userId', message }]);

/**
 * Puts a clinician of the organisation on the care team (no body, or no scopes), or sets a
 * caregiver's scopes (`scopes` required). Repeating either is harmless.
 */
export async function putCareTeamMember(
  deps: CareTeamServiceDependencies,
  caller: Caller,
  patientId: string,
  userId: string,
  body: { scopes?: ConsentScope[] | undefined } | undefined,
): Promise<CareTeamMember> {
  const found = await getUser(deps.table, userId);
  const member = found?.orgId === caller.orgId ? found : undefined;
  const staff = caller.role === 'clinician' || caller.role === 'admin';
  // What the caller must be allowed depends on who is being put on the team; anyone but staff
  // may only set a caregiver's consent.
  const access = !staff || member?.role === 'caregiver' ? CONSENT : member?.role === 'clinician' ? STAFF : PROFILE;
  await requirePatientAccess(deps.table, caller, patientId, access);
  if (!staff && member?.role !== 'caregiver') {
    // Any other id is not found, so that trying ids tells the patient nothing about the
    // accounts of the organisation.
    if (member && (await getMembership(deps.table, patientId, userId))) {
      throw new ForbiddenError(`only the clinicians of patient ${patientId} or an admin change their clinicians`);
    }
    throw notOnTeam(patientId, userId);
  }
  if (member === undefined) throw new NotFoundError(`user ${userId} not found`);
  const scopes = body?.scopes;
  if (member.role === 'clinician') {
    if (scopes !== undefined) throw scopesProblem('clinicians see all of their patients’ data; scopes are for caregivers');
    if (member.disabledAt !== undefined) throw userProblem(`clinician ${userId} is disabled`);
    const membership: CareTeamMembership = {
      patientId,
      memberId: userId,
      memberRole: 'clinician',
      orgId: caller.orgId,
      addedAt: nowOf(deps),
      addedBy: caller.userId,
    };
    if (!(await addMember(deps.table, membership))) {
      const stored = await getMembership(deps.table, patientId, userId);
      if (stored) return memberView(stored, member);
      throw userProblem(`clinician ${userId} was disabled or moved to another role meanwhile`);
    }
    return memberView(membership, member);
  }
  if (member.role === 'caregiver') {
    if (scopes === undefined) throw scopesProblem("required: the caregiver's new scopes (an empty list shares nothing)");
    const updated = await setCaregiverScopes(deps.table, patientId, userId, { scopes, by: caller.userId, at: nowOf(deps) });
    if (!updated) throw notOnTeam(patientId, userId);
    return memberView(updated, member);
  }
  throw userProblem(
    `user ${userId} is ${member.role === 'admin' ? 'an admin' : 'a patient'}; only clinicians and caregivers join a care team`,
  );
}

/**
 * Takes a member off the care team. Clinicians are removed by a clinician of the patient or an
 * admin, never the last one; caregivers by the patient, their clinicians, an admin, or themselves.
 */
export async function removeCareTeamMember(deps: CareTeamServiceDependencies, caller: Caller, patientId: string, userId: string) {
  const leaving = caller.role === 'caregiver' && caller.userId === userId;
  const membership = await getMembership(deps.table, patientId, userId);
  // One check, for what removing this member takes (seeing the patient, when nobody is removed).
  const access = membership?.memberRole === 'clinician' ? STAFF : membership && !leaving && caller.role !== 'admin' ? CONSENT : PROFILE;
  await requirePatientAccess(deps.table, caller, patientId, access);
  if (!membership) throw new NotFoundError(`user ${userId} is not on the care team of patient ${patientId}`);
  if (!(await removeMember(deps.table, membership))) {
    if (!(await getMembership(deps.table, patientId, userId))) return;
    throw new ConflictError(`clinician ${userId} is the last clinician of patient ${patientId}; add another before removing them`, [
      { path: 'params.userId', message: 'the last clinician of the care team' },
    ]);
  }
  if (membership.memberRole === 'caregiver') await withdrawUnacceptedInvitation(deps, userId);
}

/**
 * A caregiver invited and taken off every care team before they ever signed in leaves nothing
 * behind: otherwise anyone could hold an email address (which is unique across Vigil) by
 * inviting it and withdrawing.
 */
async function withdrawUnacceptedInvitation(deps: CareTeamServiceDependencies, caregiverId: string): Promise<void> {
  const caregiver = await getUser(deps.table, caregiverId);
  if (!caregiver || !(await deps.identity.invitationPending(caregiver.email))) return;
  if (await deleteUnusedUser(deps.table, caregiver)) await deps.identity.deleteAccount(caregiver.email);
}

export interface CaregiverInvitation {
  email: string;
  name: string;
  scopes: ConsentScope[];
}

/** The caregiver account for an email: the person's existing one in the organisation, or a new one (the pool mails the invitation). */
async function caregiverAccount(deps: CareTeamServiceDependencies, caller: Caller, invitation: CaregiverInvitation): Promise<User> {
  const existingId = await getUserIdByEmail(deps.table, invitation.email);
  if (existingId !== undefined) {
    const existing = await getUser(deps.table, existingId);
    if (existing?.orgId !== caller.orgId || existing.role !== 'caregiver' || existing.disabledAt !== undefined) {
      // One answer whatever the account is and wherever it belongs.
      const message = 'this email cannot be invited as a caregiver here; ask the person for another address';
      throw new ConflictError(`email: ${message}`, [{ path: 'body.email', message }]);
    }
    return existing;
  }
  const userId = await createAccount(deps.identity, { email: invitation.email, role: 'caregiver' });
  return saveProfile(deps, invitation.email, () =>
    createUser(deps.table, {
      userId,
      orgId: caller.orgId,
      email: invitation.email,
      name: invitation.name,
      role: 'caregiver',
      createdAt: nowOf(deps),
    }),
  );
}

/** Invites a family caregiver for the patient, with the scopes the patient consents to. */
export async function inviteCaregiver(
  deps: CareTeamServiceDependencies,
  caller: Caller,
  patientId: string,
  invitation: CaregiverInvitation,
): Promise<CareTeamMember> {
  await requirePatientAccess(deps.table, caller, patientId, CONSENT);
  const caregiver = await caregiverAccount(deps, caller, invitation);
  const at = nowOf(deps);
  const membership: CareTeamMembership = {
    patientId,
    memberId: caregiver.userId,
    memberRole: 'caregiver',
    orgId: caller.orgId,
    addedAt: at,
    addedBy: caller.userId,
    scopes: invitation.scopes,
    scopesChangedAt: at,
    scopesChangedBy: caller.userId,
  };
  if (!(await addMember(deps.table, membership))) {
    if (!(await getMembership(deps.table, patientId, caregiver.userId))) {
      throw new ConflictError(`caregiver ${caregiver.userId} was disabled meanwhile`);
    }
    const message = `already a caregiver of patient ${patientId}; change their scopes with PUT /v1/patients/${patientId}/care-team/${caregiver.userId}`;
    throw new ConflictError(`email: ${message}`, [{ path: 'body.email', message }]);
  }
  return memberView(membership, caregiver);
}
