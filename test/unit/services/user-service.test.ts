import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createUserAs } from '../../../shared/services/user-service.ts';
import { AccountExistsError, type IdentityProvider } from '../../../shared/auth/identity-provider.ts';
import { createTableClient } from '../../../shared/data/table-client.ts';
import { ConflictError, ForbiddenError } from '../../../shared/http/errors.ts';
import type { Caller } from '../../../shared/domain/caller.ts';

function fakeIdentity(overrides: Partial<IdentityProvider> = {}) {
  const deleted: string[] = [];
  const created: Array<{ email: string; role: string }> = [];
  const identity: IdentityProvider = {
    signIn: async () => ({ accessToken: 'a', idToken: 'i', expiresIn: 3600 }),
    refresh: async () => ({ accessToken: 'a', idToken: 'i', expiresIn: 3600 }),
    createAccount: async ({ email, role }) => {
      created.push({ email, role });
      return { sub: randomUUID() };
    },
    deleteAccount: async (email) => {
      deleted.push(email);
    },
    ...overrides,
  };
  return { identity, deleted, created };
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
    [admin, 'clinician'],
    [admin, 'admin'],
    [clinician, 'patient'],
  ] as const)('lets a %s create a %s', async (caller, role) => {
    dynamo.reset();
    dynamo.on(TransactWriteCommand).resolves({});
    const { identity } = fakeIdentity();
    const user = await createUserAs({ table, identity }, caller, input(role));
    expect(user).toMatchObject({ role, orgId: caller.orgId });
  });

  it.each([
    [admin, 'patient'],
    [clinician, 'clinician'],
    [clinician, 'admin'],
    [patient, 'patient'],
    [patient, 'caregiver'],
  ] as const)('refuses a %s creating a %s before touching the user pool', async (caller, role) => {
    const { identity, created } = fakeIdentity();
    await expect(createUserAs({ table, identity }, caller, input(role))).rejects.toThrow(ForbiddenError);
    expect(created).toEqual([]);
  });

  it("puts a new patient on the creating clinician's care team in the same write", async () => {
    dynamo.reset();
    dynamo.on(TransactWriteCommand).resolves({});
    const { identity } = fakeIdentity();
    await createUserAs({ table, identity }, clinician, input('patient'));
    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems ?? [];
    expect(items.map((item) => item.Put?.Item?.['type'])).toEqual(['user', 'email', 'careTeam']);
    expect(items[2]!.Put!.Item).toMatchObject({ memberId: clinician.userId, memberRole: 'clinician' });
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
    await expect(attempt).rejects.toMatchObject({ status: 400, errors: [{ path: 'body.password' }] });
    await expect(attempt).rejects.toThrow('password needs at least 12 characters, an upper-case letter, a digit');
    expect(created).toEqual([]);
  });
});
