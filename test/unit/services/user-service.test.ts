import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createUserAs } from '../../../shared/services/user-service.ts';
import { AccountExistsError, type IdentityProvider, type NewAccount } from '../../../shared/auth/identity-provider.ts';
import { createTableClient } from '../../../shared/data/table-client.ts';
import { ConflictError, ForbiddenError } from '../../../shared/domain/errors.ts';
import type { Caller } from '../../../shared/domain/caller.ts';
import type { Role } from '../../../shared/domain/roles.ts';

function fakeIdentity(overrides: Partial<IdentityProvider> = {}) {
  const deleted: string[] = [];
  const created: NewAccount[] = [];
  const disabled: string[] = [];
  const roleChanges: Array<{ email: string; from: Role; to: Role }> = [];
  const unused = async (): Promise<never> => {
    throw new Error('not used by user creation');
  };
  const identity: IdentityProvider = {
    signIn: unused,
    refresh: unused,
    revokeRefreshToken: unused,
    changePassword: unused,
    startPasswordReset: unused,
    confirmPasswordReset: unused,
    createAccount: async (account) => {
      created.push(account);
      return { sub: randomUUID() };
    },
    invitationPending: async () => false,
    deleteAccount: async (email) => {
      deleted.push(email);
    },
    disableAccount: async (email) => {
      disabled.push(email);
    },
    changeRole: async (email, from, to) => {
      roleChanges.push({ email, from, to });
    },
    ...overrides,
  };
  return { identity, deleted, created, disabled, roleChanges };
}

const orgId = randomUUID();
const admin: Caller = { userId: randomUUID(), orgId, role: 'admin' };
const clinician: Caller = { userId: randomUUID(), orgId, role: 'clinician' };
const patient: Caller = { userId: randomUUID(), orgId, role: 'patient' };
const input = (role: 'admin' | 'clinician' | 'patient' | 'caregiver') => ({
  email: `${role}@example.org`,
  name: 'N',
  role,
  password: 'A-long-password-1',
});

describe('createUserAs', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const table = createTableClient('table', new DynamoDBClient({ region: 'eu-west-1' }));

  it.each([
    { who: 'an admin', caller: admin, role: 'clinician' },
    { who: 'an admin', caller: admin, role: 'admin' },
    { who: 'a clinician', caller: clinician, role: 'patient' },
  ] as const)('lets $who create a $role', async ({ caller, role }) => {
    dynamo.reset();
    dynamo.on(TransactWriteCommand).resolves({});
    const { identity } = fakeIdentity();
    const user = await createUserAs({ table, identity }, caller, input(role));
    expect(user).toMatchObject({ role, orgId: caller.orgId });
  });

  it.each([
    { who: 'an admin', caller: admin, role: 'caregiver' },
    { who: 'a clinician', caller: clinician, role: 'clinician' },
    { who: 'a clinician', caller: clinician, role: 'admin' },
    { who: 'a patient', caller: patient, role: 'patient' },
    { who: 'a patient', caller: patient, role: 'caregiver' },
  ] as const)('refuses $who creating a $role before touching the user pool', async ({ caller, role }) => {
    const { identity, created } = fakeIdentity();
    await expect(createUserAs({ table, identity }, caller, input(role))).rejects.toThrow(ForbiddenError);
    expect(created).toEqual([]);
  });

  it('refuses an admin creating a patient without naming their clinician, before touching the user pool', async () => {
    const { identity, created } = fakeIdentity();
    await expect(createUserAs({ table, identity }, admin, input('patient'))).rejects.toThrow(/body.clinicianId|clinicianId/);
    expect(created).toEqual([]);
  });

  it('refuses a clinician enrolling a patient into another clinician’s care', async () => {
    const { identity, created } = fakeIdentity();
    await expect(
      createUserAs({ table, identity }, clinician, { ...input('patient'), clinicianId: '6b0e8f53-6a8f-4f8e-9d0e-1c2b3a4d5e6f' }),
    ).rejects.toThrow(/their own care/);
    expect(created).toEqual([]);
  });

  // Defect: a clinician who created a patient with a password could sign in as that patient for good.
  it('hands the user pool a password given at creation as a temporary one, which the first sign-in must replace', async () => {
    dynamo.reset();
    dynamo.on(TransactWriteCommand).resolves({});
    const { identity, created } = fakeIdentity();
    await createUserAs({ table, identity }, clinician, input('patient'));
    expect(created).toEqual([
      { email: 'patient@example.org', role: 'patient', password: { value: 'A-long-password-1', kind: 'temporary' } },
    ]);
  });

  it('invites a user created without a password', async () => {
    dynamo.reset();
    dynamo.on(TransactWriteCommand).resolves({});
    const { identity, created } = fakeIdentity();
    const { password: _password, ...withoutPassword } = input('clinician');
    await createUserAs({ table, identity }, admin, withoutPassword);
    expect(created).toEqual([{ email: 'clinician@example.org', role: 'clinician' }]);
  });

  it("puts a new patient on the creating clinician's care team in the same write", async () => {
    dynamo.reset();
    dynamo.on(TransactWriteCommand).resolves({});
    const { identity } = fakeIdentity();
    await createUserAs({ table, identity }, clinician, input('patient'));
    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems ?? [];
    expect(items.map((item) => item.Put?.Item?.['type'])).toEqual(['user', 'email', 'careTeam', undefined]);
    expect(items[2]!.Put!.Item).toMatchObject({ memberId: clinician.userId, memberRole: 'clinician' });
    // The clinician's count of care teams moves with it, only while they are an enabled clinician.
    expect(items[3]!.Update).toMatchObject({
      Key: { pk: `USER#${clinician.userId}` },
      ExpressionAttributeValues: { ':role': 'clinician' },
    });
  });

  it('removes the new account again when the profile cannot be written', async () => {
    dynamo.reset();
    dynamo.on(TransactWriteCommand).rejects(new Error('throttled'));
    const { identity, deleted } = fakeIdentity();
    await expect(createUserAs({ table, identity }, admin, input('clinician'))).rejects.toThrow('throttled');
    expect(deleted).toEqual(['clinician@example.org']);
  });

  it('reports an existing account as a conflict', async () => {
    const { identity } = fakeIdentity({
      createAccount: async () => {
        throw new AccountExistsError('x');
      },
    });
    await expect(createUserAs({ table, identity }, admin, input('clinician'))).rejects.toThrow(ConflictError);
  });
});

describe('password policy', () => {
  it('refuses a weak password before creating the account, naming the field', async () => {
    const { identity, created } = fakeIdentity();
    const table = createTableClient('table', new DynamoDBClient({ region: 'eu-west-1' }));
    const attempt = createUserAs({ table, identity }, admin, { ...input('clinician'), password: 'weak' });
    await expect(attempt).rejects.toMatchObject({ kind: 'invalid', errors: [{ path: 'body.password' }] });
    await expect(attempt).rejects.toThrow('password needs at least 12 characters, an upper-case letter, a digit');
    expect(created).toEqual([]);
  });
});
