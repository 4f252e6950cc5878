// Creating and reading users. Who may create whom is decided here; the account lives in the
// user pool and the profile (role, organisation, care team) in our table.
import { randomUUID } from 'node:crypto';
import { AccountExistsError, WeakPasswordError, type IdentityProvider } from '../auth/identity-provider.ts';
import { passwordProblems } from '../auth/password-policy.ts';
import type { Role } from '../auth/user-pool-definition.ts';
import type { Caller } from '../domain/caller.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { TableClient } from '../data/table-client.ts';
import { createOrganisationWithAdmin, createUser, EmailTakenError, getUser, type UserRecord } from '../data/user-store.ts';

export interface UserServiceDependencies {
  table: TableClient;
  identity: IdentityProvider;
  now?: () => Date;
}

/** Which roles each role may create. Patients join the creating clinician's care team. */
const MAY_CREATE: Record<Role, readonly Role[]> = {
  admin: ['admin', 'clinician'],
  clinician: ['patient'],
  patient: [],
  caregiver: [],
};

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password?: string;
}

export function publicUser(user: UserRecord) {
  return { userId: user.userId, orgId: user.orgId, email: user.email, name: user.name, role: user.role, createdAt: user.createdAt };
}

async function createAccount(identity: IdentityProvider, input: NewUser): Promise<string> {
  const problems = input.password === undefined ? [] : passwordProblems(input.password);
  if (problems.length > 0) {
    throw new ValidationError(`password needs ${problems.join(', ')}`, [
      { path: 'body.password', message: 'does not meet the password policy' },
    ]);
  }
  try {
    const { sub } = await identity.createAccount({
      email: input.email,
      role: input.role,
      ...(input.password ? { password: input.password } : {}),
    });
    return sub;
  } catch (error) {
    if (error instanceof AccountExistsError) throw new ConflictError(`a user with email ${input.email} already exists`);
    if (error instanceof WeakPasswordError) {
      throw new ValidationError(`password does not meet the policy: ${error.message}`, [
        { path: 'body.password', message: 'does not meet the password policy' },
      ]);
    }
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

export async function createUserAs(deps: UserServiceDependencies, caller: Caller, input: NewUser) {
  if (!MAY_CREATE[caller.role].includes(input.role)) {
    throw new ForbiddenError(`${withArticle(caller.role)} cannot create ${withArticle(input.role)}`);
  }
  const userId = await createAccount(deps.identity, input);
  const user: UserRecord = {
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

/** Bootstraps an organisation: used by the create-admin script, never over the API. */
export async function createOrganisation(
  deps: UserServiceDependencies,
  input: { organisationName: string; email: string; password: string; name?: string },
) {
  const userId = await createAccount(deps.identity, {
    email: input.email,
    name: input.name ?? input.email,
    role: 'admin',
    password: input.password,
  });
  const createdAt = (deps.now?.() ?? new Date()).toISOString();
  const organisation = { orgId: randomUUID(), name: input.organisationName, createdAt };
  const admin: UserRecord = {
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

export async function getSelf(deps: Pick<UserServiceDependencies, 'table'>, caller: Caller) {
  const user = await getUser(deps.table, caller.userId);
  if (!user) throw new NotFoundError('your profile no longer exists');
  return publicUser(user);
}

/** "an admin", "a clinician". */
function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}
