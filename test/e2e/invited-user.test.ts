// A user created without a password is invited: the user pool mails a temporary password
// (cognito-local keeps it on the new user, which is what its mail shows), and the first sign-in
// replaces it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitationPassword } from '../support/cognito-mailbox.ts';
import { type LocalTwin, startLocalTwin } from '../support/local-twin.ts';
import { bootstrapOrganisation, problemOf, STRONG_PASSWORD, vigil } from './support/vigil-api.ts';

let twin: LocalTwin;
let adminToken: string;

beforeAll(async () => {
  twin = await startLocalTwin({ log: () => undefined });
  adminToken = (await bootstrapOrganisation(twin)).tokens.accessToken;
});

afterAll(async () => {
  await twin?.stop();
});

const invitationCode = (email: string) => invitationPassword(twin, email);

const login = (body: { email: string; password: string; newPassword?: string }) => vigil(twin).POST('/v1/auth/login', { body });

describe('an invited user', () => {
  const email = `invited-${randomUUID()}@example.org`;
  let temporary: string;

  it('is created without a password, and the invitation carries a temporary one', async () => {
    const created = await vigil(twin, adminToken).POST('/v1/users', { body: { email, name: 'Dr Invited', role: 'clinician' } });
    expect(created.response.status).toBe(201);
    temporary = await invitationCode(email);
  });

  it('answers a sign-in with the temporary password alone with 400 asking for newPassword', async () => {
    const { response, error } = await login({ email, password: temporary });
    expect(response.status).toBe(400);
    expect(problemOf(error).errors?.map((e) => e.path)).toEqual(['body.newPassword']);
    expect(problemOf(error).detail).toContain('temporary password');
  });

  it('answers a weak new password with 400 naming it', async () => {
    const { response, error } = await login({ email, password: temporary, newPassword: 'weak' });
    expect(response.status).toBe(400);
    expect(problemOf(error).errors?.map((e) => e.path)).toContain('body.newPassword');
  });

  it('refuses a wrong temporary password, as Cognito does', async () => {
    expect((await login({ email, password: 'Not-The-Invitation-1', newPassword: STRONG_PASSWORD })).response.status).toBe(401);
  });

  it('returns tokens on the first sign-in with newPassword; later sign-ins use the new password', async () => {
    const first = await login({ email, password: temporary, newPassword: STRONG_PASSWORD });
    expect(first.response.status).toBe(200);
    const me = await vigil(twin, first.data?.accessToken).GET('/v1/users/me');
    expect(me.data).toMatchObject({ email, role: 'clinician' });
    expect((await login({ email, password: STRONG_PASSWORD })).response.status).toBe(200);
    const stale = await login({ email, password: temporary });
    expect(stale.response.status).toBe(401);
    expect(problemOf(stale.error).detail).toBe('email or password is wrong');
  });

  it('answers newPassword on an account that has its own password with 400 naming it', async () => {
    const { response, error } = await login({ email, password: STRONG_PASSWORD, newPassword: `${STRONG_PASSWORD}-2` });
    expect(response.status).toBe(400);
    expect(problemOf(error).errors?.map((e) => e.path)).toEqual(['body.newPassword']);
  });
});
