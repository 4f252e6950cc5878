// The twin's user pool (cognito-local behind its shim) answers as Cognito does where the API
// depends on it: tokens under the pool's real issuer name, temporary passwords that are
// checked, challenge sessions that are required and expire, refresh tokens that work after
// the first sign-in, NotAuthorizedException for a wrong password, the pool's password
// policy on every new password, disabled users refused, and a global sign-out that revokes
// refresh tokens.
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminUserGlobalSignOutCommand,
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTokenVerifier } from '../../shared/auth/token-verifier.ts';
import { userPoolIssuer } from '../../shared/auth/user-pool-definition.ts';
import { localJwksCache } from '../../infra/local/local-jwks.ts';
import { mailedCode } from '../support/cognito-mailbox.ts';
import { type LocalServices, startLocalServices } from '../support/local-services.ts';

let services: LocalServices;
let cognito: CognitoIdentityProviderClient;
let pool: { userPoolId: string; userPoolClientId: string; endpoint: string };

const TEMPORARY = 'Temporary-Pass-42';
const CHOSEN = 'Chosen-Password-42';

beforeAll(async () => {
  services = await startLocalServices({ dynamoDb: false, sqs: false });
  if (services.cognito === undefined) throw new Error('no cognito');
  pool = services.cognito;
  cognito = new CognitoIdentityProviderClient({ endpoint: pool.endpoint, region: services.region, credentials: services.credentials });
});

afterAll(async () => {
  cognito?.destroy();
  await services?.stop();
});

async function newUserWithTemporaryPassword(): Promise<string> {
  const email = `user-${crypto.randomUUID()}@example.org`;
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.userPoolId,
      Username: email,
      TemporaryPassword: TEMPORARY,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  return email;
}

const signIn = (email: string, password: string) =>
  cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: pool.userPoolClientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );

const answerChallenge = (session: string | undefined, username: string, newPassword = CHOSEN) =>
  cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: pool.userPoolClientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
    }),
  );

async function firstSignIn(email: string) {
  const challenge = await signIn(email, TEMPORARY);
  const answer = await answerChallenge(challenge.Session, challenge.ChallengeParameters?.['USER_ID_FOR_SRP'] ?? email);
  return answer.AuthenticationResult;
}

const refreshWith = (refreshToken: string | undefined) =>
  cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: pool.userPoolClientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken ?? '' },
    }),
  );

describe('the twin user pool', () => {
  it("issues tokens under the pool's real issuer name, which the API's verifier accepts with the twin's keys", async () => {
    const email = await newUserWithTemporaryPassword();
    const tokens = await firstSignIn(email);
    const verifier = createTokenVerifier(
      { region: services.region, userPoolId: pool.userPoolId, clientId: pool.userPoolClientId, tokenUses: ['access'] },
      { jwksCache: localJwksCache(pool.endpoint) },
    );
    const verified = await verifier.verify(tokens?.AccessToken ?? '');
    expect(verified.claims['iss']).toBe(userPoolIssuer(services.region, pool.userPoolId));
    expect(tokens?.ExpiresIn).toBeGreaterThan(0);
  });

  it('refuses a temporary password that is wrong, as Cognito does (cognito-local alone hands out the challenge)', async () => {
    const email = await newUserWithTemporaryPassword();
    await expect(signIn(email, 'Not-The-Temporary-1')).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('refuses to answer a new-password challenge without the session it gave out', async () => {
    const email = await newUserWithTemporaryPassword();
    const challenge = await signIn(email, TEMPORARY);
    await expect(answerChallenge('made-up-session', challenge.ChallengeParameters?.['USER_ID_FOR_SRP'] ?? email)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });

  it('takes the email alias as USERNAME in the challenge answer', async () => {
    const email = await newUserWithTemporaryPassword();
    const challenge = await signIn(email, TEMPORARY);
    expect((await answerChallenge(challenge.Session, email.toUpperCase())).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('lets a challenge session expire after three minutes', async () => {
    const email = await newUserWithTemporaryPassword();
    const challenge = await signIn(email, TEMPORARY);
    // Only Date is faked, and only in this process, where the shim keeps its sessions.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 3 * 60_000 + 1_000);
      await expect(answerChallenge(challenge.Session, email)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a new password that breaks the pool's policy wherever one is set, with InvalidPasswordException", async () => {
    const weak = 'short-1A';
    const email = await newUserWithTemporaryPassword();
    const challenge = await signIn(email, TEMPORARY);
    await expect(answerChallenge(challenge.Session, email, weak)).rejects.toMatchObject({
      name: 'InvalidPasswordException',
      message: expect.stringContaining('Password not long enough'),
    });
    // The session survives a refused password, as in Cognito.
    const tokens = (await answerChallenge(challenge.Session, email)).AuthenticationResult;
    await expect(
      cognito.send(
        new ChangePasswordCommand({ AccessToken: tokens?.AccessToken, PreviousPassword: CHOSEN, ProposedPassword: 'alllowercase-42' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidPasswordException', message: expect.stringContaining('uppercase') });
    await cognito.send(new ForgotPasswordCommand({ ClientId: pool.userPoolClientId, Username: email }));
    const code = await mailedCode(services.cognitoDataDir ?? '', pool.userPoolId, email);
    await expect(
      cognito.send(
        new ConfirmForgotPasswordCommand({ ClientId: pool.userPoolClientId, Username: email, ConfirmationCode: code, Password: weak }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidPasswordException' });
    expect((await signIn(email, CHOSEN)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('gives a refresh token on the first sign-in that renews the session until it is revoked', async () => {
    const email = await newUserWithTemporaryPassword();
    const tokens = await firstSignIn(email);
    const refresh = () => refreshWith(tokens?.RefreshToken);
    expect((await refresh()).AuthenticationResult?.AccessToken).toBeDefined();
    await cognito.send(new RevokeTokenCommand({ ClientId: pool.userPoolClientId, Token: tokens?.RefreshToken ?? '' }));
    await expect(refresh()).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('answers a wrong password, and a wrong current password on a change, with NotAuthorizedException', async () => {
    const email = await newUserWithTemporaryPassword();
    const tokens = await firstSignIn(email);
    await expect(signIn(email, 'Wrong-Password-42')).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(
      cognito.send(
        new ChangePasswordCommand({
          AccessToken: tokens?.AccessToken,
          PreviousPassword: 'Wrong-Password-42',
          ProposedPassword: 'Another-Pass-42',
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('resets a forgotten password with the code it mailed', async () => {
    const email = await newUserWithTemporaryPassword();
    await firstSignIn(email);
    await cognito.send(new ForgotPasswordCommand({ ClientId: pool.userPoolClientId, Username: email }));
    const code = await mailedCode(services.cognitoDataDir ?? '', pool.userPoolId, email);
    await cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: pool.userPoolClientId,
        Username: email,
        ConfirmationCode: code,
        Password: 'Reset-Password-42',
      }),
    );
    expect((await signIn(email, 'Reset-Password-42')).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('refuses a disabled user sign-in and the refresh tokens they already hold, with NotAuthorizedException', async () => {
    const email = await newUserWithTemporaryPassword();
    const tokens = await firstSignIn(email);
    expect((await refreshWith(tokens?.RefreshToken)).AuthenticationResult?.AccessToken).toBeDefined();
    const disable = () => cognito.send(new AdminDisableUserCommand({ UserPoolId: pool.userPoolId, Username: email }));
    await disable();
    // Disabling a disabled account succeeds, as in Cognito.
    await disable();
    await expect(signIn(email, CHOSEN)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'User is disabled.' });
    await expect(refreshWith(tokens?.RefreshToken)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('revokes every refresh token a user holds on AdminUserGlobalSignOut, and lets them sign in afresh', async () => {
    const email = await newUserWithTemporaryPassword();
    const first = await firstSignIn(email);
    const second = (await signIn(email, CHOSEN)).AuthenticationResult;
    expect((await refreshWith(first?.RefreshToken)).AuthenticationResult?.AccessToken).toBeDefined();
    await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.userPoolId, Username: email }));
    await expect(refreshWith(first?.RefreshToken)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(refreshWith(second?.RefreshToken)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const fresh = (await signIn(email, CHOSEN)).AuthenticationResult;
    expect((await refreshWith(fresh?.RefreshToken)).AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('answers AdminUserGlobalSignOut for an unknown user with UserNotFoundException', async () => {
    await expect(
      cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.userPoolId, Username: 'nobody@example.org' })),
    ).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });
});
