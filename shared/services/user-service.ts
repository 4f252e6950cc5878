// Creating and reading users. Who may create whom is a domain rule; the account lives in the
// user pool and the profile (role, organisation, care team) in our table.
import { randomUUID } from 'node:crypto';
import { AccountExistsError, type IdentityProvider, type NewAccount, WeakPasswordError } from '../auth/identity-provider.ts';
import type { Caller } from '../domain/caller.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { passwordProblems } from '../domain/password-policy.ts';
import { mayCreate, type Role, withArticle } from '../domain/roles.ts';
import type { User } from '../domain/user.ts';
import type { TableClient } from '../data/table-client.ts';
import { createOrganisationWithAdmin, createUser, EmailTakenError, getUser } from '../data/user-store.ts';

export interface UserServiceDependencies {
  table: TableClient;
  identity: IdentityProvider;
  now?: () => Date;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  /** Temporary: the user must replace it at their first sign-in. */
  password?: string;
}

export type PublicUser = Omit<User, 'primaryClinicianId'>;

export function publicUser(user: User): PublicUser {
  const { primaryClinicianId: _primaryClinicianId, ...rest } = user;
  return rest;
}

const weakPassword = (detail: string) =>
  new ValidationError(detail, [{ path: 'body.password', message: 'does not meet the password policy' }]);

async function createAccount(identity: IdentityProvider, account: NewAccount): Promise<string> {
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
async function saveProfile(deps: UserServiceDependencies, email: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    await deps.identity.deleteAccount(email).catch(() => undefined);
    if (error instanceof EmailTakenError) throw new ConflictError(error.message);
    throw error;
  }
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
  const userId = await createAccount(deps.identity, {
    email: input.email,
    role: input.role,
    ...(input.password === undefined ? {} : { password: { value: input.password, kind: 'temporary' } }),
  });
  const user: User = {
    userId,
    orgId: caller.orgId,
    email: input.email,
    name: input.name,
    role: input.role,
    createdAt: (deps.now?.() ?? new Date()).toISOString(),
    ...(input.role === 'patient' ? { primaryClinicianId: caller.userId } : {}),
  };
  await saveProfile(deps, input.email, () => createUser(deps.table, user));
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
  const createdAt = (deps.now?.() ?? new Date()).toISOString();
  const organisation = { orgId: randomUUID(), name: input.organisationName, createdAt };
  const admin: User = {
    userId,
    orgId: organisation.orgId,
    email: input.email,
    name: input.name ?? input.email,
    role: 'admin',
    createdAt,
  };
  await saveProfile(deps, input.email, () => createOrganisationWithAdmin(deps.table, organisation, admin));
  return { organisation, admin: publicUser(admin) };
}

export async function getSelf(deps: Pick<UserServiceDependencies, 'table'>, caller: Caller): Promise<PublicUser> {
  const user = await getUser(deps.table, caller.userId);
  if (!user) throw new NotFoundError('your profile no longer exists');
  return publicUser(user);
}
