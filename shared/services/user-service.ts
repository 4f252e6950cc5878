// Users: creating, reading, editing and disabling them, and the lists of an organisation's
// people. Who may do what is a domain rule; the account lives in the user pool and the
// profile (role, organisation, care team) in our table.
import { randomUUID } from 'node:crypto';
import { noteAccessTo } from '../audit/access-notes.ts';
import { AccountExistsError, type IdentityProvider, type NewAccount, WeakPasswordError } from '../auth/identity-provider.ts';
import type { Caller } from '../domain/caller.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { PAGE_LIMITS } from '../domain/paging.ts';
import { passwordProblems } from '../domain/password-policy.ts';
import { mayChangeRole, mayCreate, type Role, withArticle } from '../domain/roles.ts';
import { assertUserAccess } from '../domain/user-access.ts';
import { mergeNotifyPreferences, type NotifyChange, type PushPlatform, type User } from '../domain/user.ts';
import type { PushRegistrar } from '../messaging/push-registrar.ts';
import { getMembership, listPatientIdsOf, listPatientIdsOfPage, removeMember } from '../data/care-team-store.ts';
import type { CursorCodec } from '../data/paging-cursor.ts';
import type { TableClient } from '../data/table-client.ts';
import {
  changeRole,
  clinicianCounts,
  createOrganisationWithAdmin,
  createUser,
  disableUser,
  EmailTakenError,
  getUser,
  getUsers,
  listUsersPage,
  type ProfileChanges,
  updateProfile,
} from '../data/user-store.ts';
import type { Notifier } from '../realtime/connection-notifier.ts';

export interface UserServiceDependencies {
  table: TableClient;
  identity: IdentityProvider;
  now?: () => Date;
}

/** Editing a profile may register a phone for push. */
export interface UserEditDependencies extends UserServiceDependencies {
  pushDevices: PushRegistrar;
}

export interface UserAdministrationDependencies extends UserServiceDependencies {
  cursors: CursorCodec;
  notifier: Notifier;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  /** Temporary: the user must replace it at their first sign-in. */
  password?: string;
  /** Patients created by an admin: the clinician whose care they join. */
  clinicianId?: string;
  phone?: string;
  timeZone?: string;
}

export type PublicUser = Omit<User, 'primaryClinicianId' | 'disabledBy'>;

export function publicUser(user: User): PublicUser {
  const { primaryClinicianId: _primaryClinicianId, disabledBy: _disabledBy, ...rest } = user;
  return rest;
}

const nowOf = (deps: { now?: () => Date }) => (deps.now?.() ?? new Date()).toISOString();

const weakPassword = (detail: string) =>
  new ValidationError(detail, [{ path: 'body.password', message: 'does not meet the password policy' }]);

/** Creates the pool account; a password given is checked against the policy first. */
export async function createAccount(identity: IdentityProvider, account: NewAccount): Promise<string> {
  const problems = account.password === undefined ? [] : passwordProblems(account.password.value);
  if (problems.length > 0) throw weakPassword(`password needs ${problems.join(', ')}`);
  try {
    const { sub } = await identity.createAccount(account);
    return sub;
  } catch (error) {
    if (error instanceof AccountExistsError) throw new ConflictError(`a user with email ${account.email} already exists`);
    if (error instanceof WeakPasswordError) throw weakPassword(`password does not meet the policy: ${error.message}`);
    throw error;
  }
}

/** Writes the profile; if that fails the account is removed again so no orphan can sign in. */
export async function saveProfile<T>(deps: UserServiceDependencies, email: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    await deps.identity.deleteAccount(email).catch(() => undefined);
    if (error instanceof EmailTakenError) throw new ConflictError(error.message);
    throw error;
  }
}

const clinicianProblem = (message: string) => new ValidationError(`clinicianId: ${message}`, [{ path: 'body.clinicianId', message }]);

/** The clinician a new patient joins: the creating clinician, or the enabled clinician an admin names. */
async function enrollingClinician(deps: UserServiceDependencies, caller: Caller, input: NewUser): Promise<string | undefined> {
  if (input.role !== 'patient') {
    if (input.clinicianId !== undefined) throw clinicianProblem('only a new patient is given a clinician');
    return undefined;
  }
  if (caller.role === 'clinician') {
    if (input.clinicianId !== undefined && input.clinicianId !== caller.userId) {
      throw clinicianProblem('a clinician enrols patients into their own care; add colleagues through the care team afterwards');
    }
    return caller.userId;
  }
  if (input.clinicianId === undefined) throw clinicianProblem('an admin creating a patient names the clinician whose care they join');
  const clinician = await getUser(deps.table, input.clinicianId);
  if (clinician?.orgId !== caller.orgId || clinician.role !== 'clinician' || clinician.disabledAt !== undefined) {
    throw clinicianProblem(`there is no enabled clinician ${input.clinicianId} in your organisation`);
  }
  return clinician.userId;
}

/**
 * Creates a user in the caller's organisation. A password given here is temporary: whoever
 * chose it hands it over, and the first sign-in must replace it, so the creator cannot go on
 * signing in as the new user.
 */
export async function createUserAs(deps: UserServiceDependencies, caller: Caller, input: NewUser): Promise<PublicUser> {
  if (!mayCreate(caller.role, input.role)) {
    throw new ForbiddenError(`${withArticle(caller.role)} cannot create ${withArticle(input.role)}`);
  }
  const clinicianId = await enrollingClinician(deps, caller, input);
  const userId = await createAccount(deps.identity, {
    email: input.email,
    role: input.role,
    ...(input.password === undefined ? {} : { password: { value: input.password, kind: 'temporary' } }),
  });
  if (input.role === 'patient') noteAccessTo(userId);
  const user = await saveProfile(deps, input.email, () =>
    createUser(deps.table, {
      userId,
      orgId: caller.orgId,
      email: input.email,
      name: input.name,
      role: input.role,
      createdAt: nowOf(deps),
      ...(input.phone === undefined ? {} : { phone: input.phone }),
      ...(input.timeZone === undefined ? {} : { timeZone: input.timeZone }),
      ...(clinicianId === undefined ? {} : { primaryClinicianId: clinicianId }),
    }),
  );
  return publicUser(user);
}

/**
 * Bootstraps an organisation: used by the create-admin script, never over the API. The first
 * admin chose their own password, so it is permanent.
 */
export async function createOrganisation(
  deps: UserServiceDependencies,
  input: { organisationName: string; email: string; password: string; name?: string },
) {
  const userId = await createAccount(deps.identity, {
    email: input.email,
    role: 'admin',
    password: { value: input.password, kind: 'permanent' },
  });
  const createdAt = nowOf(deps);
  const organisation = { orgId: randomUUID(), name: input.organisationName, createdAt };
  const admin = {
    userId,
    orgId: organisation.orgId,
    email: input.email,
    name: input.name ?? input.email,
    role: 'admin' as const,
    createdAt,
  };
  await saveProfile(deps, input.email, () => createOrganisationWithAdmin(deps.table, organisation, admin));
  const stored = await getUser(deps.table, userId);
  if (!stored) throw new Error(`the new admin ${userId} was not stored`);
  return { organisation, admin: publicUser(stored) };
}

export async function getSelf(deps: Pick<UserServiceDependencies, 'table'>, caller: Caller): Promise<PublicUser> {
  const user = await getUser(deps.table, caller.userId);
  if (!user) throw new NotFoundError('your profile no longer exists');
  return publicUser(user);
}

/** Loads a user and checks the caller may act on them; a patient reached is noted for the audit trail. */
async function userFor(deps: Pick<UserServiceDependencies, 'table'>, caller: Caller, userId: string, action: 'read' | 'edit' | 'disable') {
  const [target, membership] = await Promise.all([
    getUser(deps.table, userId),
    caller.userId === userId ? Promise.resolve(undefined) : getMembership(deps.table, userId, caller.userId),
  ]);
  if (target?.role === 'patient' && target.orgId === caller.orgId) noteAccessTo(target.userId);
  assertUserAccess(caller, userId, target, membership, action);
  return target;
}

export async function getUserAs(deps: Pick<UserServiceDependencies, 'table'>, caller: Caller, userId: string): Promise<PublicUser> {
  return publicUser(await userFor(deps, caller, userId, 'read'));
}

/** A change to how someone is notified, as asked: a push device comes as its token. */
export interface NotifyRequest extends Omit<NotifyChange, 'push'> {
  push?: { platform: PushPlatform; token: string } | null | undefined;
}

export interface UserChanges extends Omit<ProfileChanges, 'notify'> {
  notify?: NotifyRequest;
  role?: Role;
}

const roleConflict = (message: string) => new ConflictError(`role: ${message}`, [{ path: 'body.role', message }]);

async function applyRoleChange(deps: UserServiceDependencies, caller: Caller, user: User, to: Role): Promise<void> {
  if (to === user.role) return;
  if (caller.role !== 'admin') throw new ForbiddenError('only an admin changes a role');
  if (caller.userId === user.userId) throw new ForbiddenError('nobody changes their own role; ask another admin');
  if (!mayChangeRole(user.role, to)) {
    throw roleConflict(`${withArticle(user.role)} account cannot become ${withArticle(to)}; only admins and clinicians change roles`);
  }
  if (user.disabledAt !== undefined) throw roleConflict(`user ${user.userId} is disabled`);
  if (user.role === 'clinician' && (await listPatientIdsOf(deps.table, user.userId)).length > 0) {
    throw roleConflict(`clinician ${user.userId} still has patients; hand them over to another clinician first`);
  }
  if (!(await changeRole(deps.table, user, to))) {
    throw roleConflict(`user ${user.userId} is the organisation's last enabled admin, joined a care team, or changed role meanwhile`);
  }
  await deps.identity.changeRole(user.email, user.role, to);
}

/** The device a push token names, registered as a platform endpoint; a 400 when the deployment cannot push there. */
async function pushDevice(deps: UserEditDependencies, push: NotifyRequest['push']): Promise<NotifyChange['push']> {
  if (push === undefined || push === null) return push;
  const registration = await deps.pushDevices.register(push.platform, push.token);
  if ('endpointArn' in registration) return { platform: push.platform, endpointArn: registration.endpointArn };
  const [field, message] =
    registration.refused === 'no-application'
      ? ['platform', `this deployment has no ${push.platform} push application; use email or sms`]
      : ['token', `the ${push.platform} push service refused this device token`];
  throw new ValidationError(message, [{ path: `body.notify.push.${field}`, message }]);
}

export async function updateUserAs(deps: UserEditDependencies, caller: Caller, userId: string, changes: UserChanges): Promise<PublicUser> {
  const user = await userFor(deps, caller, userId, 'edit');
  const { role, notify, ...profile } = changes;
  // Where someone is reached outside the app is theirs alone to say.
  if (notify !== undefined && caller.userId !== userId) throw new ForbiddenError('only the user sets how they are notified');
  if (role !== undefined) await applyRoleChange(deps, caller, user, role);
  const notifyChange = notify && { ...notify, push: await pushDevice(deps, notify.push) };
  const updated = await updateProfile(deps.table, userId, {
    ...profile,
    ...(notifyChange === undefined ? {} : { notify: mergeNotifyPreferences(user.notify, notifyChange) }),
  });
  if (!updated) throw new NotFoundError(`user ${userId} not found`);
  return publicUser(updated);
}

/** How many of a leaving clinician's patients would be named in a refusal. */
const NAMED_PATIENTS = 5;

function strandedConflict(clinicianId: string, stranded: readonly string[]): ConflictError {
  const named = stranded.slice(0, NAMED_PATIENTS).join(', ');
  return new ConflictError(
    `clinician ${clinicianId} is the only clinician of ${stranded.length} patient(s) (${named}${stranded.length > NAMED_PATIENTS ? ', …' : ''}); add another clinician to their care teams first`,
  );
}

/**
 * Takes a leaving clinician or caregiver off every care team, each removal guarded so that no
 * patient loses their last clinician, even to a removal racing this one. A clinician who is a
 * patient's only one is refused before anything changes (409, naming the patients).
 */
async function leaveCareTeams(table: TableClient, member: User & { role: 'clinician' | 'caregiver' }): Promise<void> {
  const patientIds = await listPatientIdsOf(table, member.userId);
  if (member.role === 'clinician') {
    const counts = await clinicianCounts(table, patientIds);
    const stranded = patientIds.filter((patientId) => (counts.get(patientId) ?? 0) <= 1);
    if (stranded.length > 0) throw strandedConflict(member.userId, stranded);
  }
  for (const patientId of patientIds) {
    // Each patient's care team changes: that is the patient's data, and goes in their trail.
    noteAccessTo(patientId);
    if (!(await removeMember(table, { patientId, memberId: member.userId, memberRole: member.role }))) {
      if (await getMembership(table, patientId, member.userId)) throw strandedConflict(member.userId, [patientId]);
    }
  }
}

const isCareTeamMember = (user: User): user is User & { role: 'clinician' | 'caregiver' } =>
  user.role === 'clinician' || user.role === 'caregiver';

/**
 * Disables an account: the person leaves their care teams first (a clinician only when no
 * patient is left without one), then the profile is marked (record kept, so alerts,
 * recordings and audit entries still name them), then sign-in is refused and refresh tokens
 * revoked in the user pool and open WebSockets closed. Access tokens still in hand are refused
 * by every function, which reads the profile. Each step is harmless to repeat, and a repeated
 * call on a disabled account finishes any step an earlier call did not.
 */
export async function disableUserAs(deps: UserAdministrationDependencies, caller: Caller, userId: string): Promise<void> {
  const user = await userFor(deps, caller, userId, 'disable');
  if (user.disabledAt === undefined) {
    if (isCareTeamMember(user)) await leaveCareTeams(deps.table, user);
    if (!(await disableUser(deps.table, user, caller.userId, nowOf(deps)))) {
      const current = await getUser(deps.table, userId);
      if (current?.disabledAt === undefined) {
        if (current?.role !== user.role || (current.role !== 'admin' && current.role !== 'patient')) {
          throw new ConflictError(`user ${userId} changed role or joined a care team meanwhile; try again`);
        }
        throw new ConflictError(`user ${userId} is the organisation's last enabled admin; an organisation keeps at least one`);
      }
    }
  }
  await deps.identity.disableAccount(user.email);
  await deps.notifier.disconnectUser(user.userId);
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

const startKeyFrom = (cursors: CursorCodec, cursor: string | undefined, scope: string) =>
  cursor === undefined ? undefined : (JSON.parse(cursors.decode(cursor, scope)) as Record<string, unknown>);

const nextCursorFrom = (cursors: CursorCodec, nextKey: Record<string, unknown> | undefined, scope: string) =>
  nextKey === undefined ? {} : { nextCursor: cursors.encode(JSON.stringify(nextKey), scope) };

/** The organisation's users, of one role or all; admins only. */
export async function listUsersAs(
  deps: Pick<UserAdministrationDependencies, 'table' | 'cursors'>,
  caller: Caller,
  request: PageRequest & { role?: Role },
) {
  const scope = `users|${caller.userId}|${caller.role}|${request.role ?? ''}`;
  const page = await listUsersPage(
    deps.table,
    caller.orgId,
    request.role,
    request.limit ?? PAGE_LIMITS.default,
    startKeyFrom(deps.cursors, request.cursor, scope),
  );
  noteAccessTo(...page.users.filter((user) => user.role === 'patient').map((user) => user.userId));
  return { items: page.users.map(publicUser), ...nextCursorFrom(deps.cursors, page.nextKey, scope) };
}

/** A clinician's or caregiver's own patients; an admin's, every patient of the organisation. */
export async function listPatientsAs(
  deps: Pick<UserAdministrationDependencies, 'table' | 'cursors'>,
  caller: Caller,
  request: PageRequest,
) {
  // The caller's role picks the index a cursor points into: a cursor from another role is refused.
  const scope = `patients|${caller.userId}|${caller.role}`;
  const limit = request.limit ?? PAGE_LIMITS.default;
  const start = startKeyFrom(deps.cursors, request.cursor, scope);
  let patients: User[];
  let nextKey: Record<string, unknown> | undefined;
  if (caller.role === 'admin') {
    ({ users: patients, nextKey } = await listUsersPage(deps.table, caller.orgId, 'patient', limit, start));
  } else {
    const page = await listPatientIdsOfPage(deps.table, caller.userId, limit, start);
    const byId = new Map((await getUsers(deps.table, page.patientIds)).map((user) => [user.userId, user]));
    patients = page.patientIds.flatMap((patientId) => byId.get(patientId) ?? []);
    nextKey = page.nextKey;
  }
  noteAccessTo(...patients.map((patient) => patient.userId));
  return { items: patients.map(publicUser), ...nextCursorFrom(deps.cursors, nextKey, scope) };
}
