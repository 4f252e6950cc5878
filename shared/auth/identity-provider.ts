// The user directory (Cognito user pool): sign-in, refresh, sign-out, passwords, and creating,
// disabling and re-roling accounts. Services take the IdentityProvider interface so unit tests
// use a fake instead of SDK mocks; Cognito's error names are turned into the few outcomes
// callers act on.
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminDisableUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  type AuthenticationResultType,
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ENV, requireEnv } from '../config/env.ts';
import type { Role } from '../domain/roles.ts';

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
}

export interface NewAccount {
  email: string;
  role: Role;
  /**
   * temporary: the first sign-in must replace it (whoever set it cannot keep using it);
   * permanent: for an organisation's first admin, who chose it themselves. Without a
   * password the pool mails an invitation with a temporary one.
   */
  password?: { value: string; kind: 'temporary' | 'permanent' };
}

export interface IdentityProvider {
  /**
   * Signs in. An account created by someone else still has a temporary password: then
   * `newPassword` replaces it in the same call, and without one NewPasswordRequiredError says so.
   */
  signIn(email: string, password: string, newPassword?: string): Promise<Tokens>;
  refresh(refreshToken: string): Promise<Tokens>;
  /** Revokes a refresh token (and the access tokens issued with it, for the pool's own APIs). */
  revokeRefreshToken(refreshToken: string): Promise<void>;
  changePassword(accessToken: string, currentPassword: string, newPassword: string): Promise<void>;
  /** Mails a reset code. Says nothing about whether the account exists. */
  startPasswordReset(email: string): Promise<void>;
  confirmPasswordReset(email: string, code: string, newPassword: string): Promise<void>;
  /** Creates an account in the role's group and returns its subject (our userId). */
  createAccount(account: NewAccount): Promise<{ sub: string }>;
  deleteAccount(email: string): Promise<void>;
  /** True while the account still waits for its first sign-in (an invitation nobody accepted). */
  invitationPending(email: string): Promise<boolean>;
  /** Refuses sign-in from now on and revokes every refresh token the account holds (AdminDisableUser + AdminUserGlobalSignOut). */
  disableAccount(email: string): Promise<void>;
  /** Moves the account from the group of its old role to the group of its new one (AdminAddUserToGroup then AdminRemoveUserFromGroup). */
  changeRole(email: string, from: Role, to: Role): Promise<void>;
}

/** Credentials, a token or a code were refused; the caller is told only that. */
export class InvalidCredentialsError extends Error {
  override name = 'InvalidCredentialsError';
}

/** The password was right but temporary: the account needs a new one first. */
export class NewPasswordRequiredError extends Error {
  override name = 'NewPasswordRequiredError';
}

/** A new password was offered for an account whose password is not temporary. */
export class NoNewPasswordExpectedError extends Error {
  override name = 'NoNewPasswordExpectedError';
}

export class AccountExistsError extends Error {
  override name = 'AccountExistsError';
}

export class WeakPasswordError extends Error {
  override name = 'WeakPasswordError';
}

/** The pool is refusing more attempts for now (LimitExceeded, TooManyFailedAttempts). */
export class TooManyAttemptsError extends Error {
  override name = 'TooManyAttemptsError';
}

function tokensOf(result: AuthenticationResultType | undefined, fallbackRefresh?: string): Tokens {
  if (!result?.AccessToken || !result.IdToken) throw new InvalidCredentialsError('the user pool asked for a challenge we do not support');
  const refreshToken = result.RefreshToken ?? fallbackRefresh;
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    ...(refreshToken ? { refreshToken } : {}),
    expiresIn: result.ExpiresIn ?? 3600,
  };
}

const CREDENTIAL_FAILURES = new Set([
  'NotAuthorizedException',
  'UserNotFoundException',
  'UserNotConfirmedException',
  'PasswordResetRequiredException',
  'CodeMismatchException',
  'ExpiredCodeException',
  'UnsupportedTokenTypeException',
]);
const THROTTLED = new Set(['LimitExceededException', 'TooManyFailedAttemptsException', 'TooManyRequestsException']);

/** Turns the pool's refusals into our outcomes; anything else (network, permissions) is rethrown. */
function refusal(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  if (CREDENTIAL_FAILURES.has(error.name)) return new InvalidCredentialsError(error.name);
  if (error.name === 'InvalidPasswordException') return new WeakPasswordError(error.message);
  if (THROTTLED.has(error.name)) return new TooManyAttemptsError(error.name);
  return error;
}

async function refusing<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw refusal(error);
  }
}

export function createCognitoIdentityProvider(
  client: CognitoIdentityProviderClient,
  pool: { userPoolId: string; clientId: string },
): IdentityProvider {
  const authenticate = (flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH', parameters: Record<string, string>) =>
    refusing(() => client.send(new InitiateAuthCommand({ AuthFlow: flow, ClientId: pool.clientId, AuthParameters: parameters })));

  /** `username` is the pool's own name for the user: with email sign-in that is not the email. */
  const setFirstPassword = async (username: string, session: string | undefined, newPassword: string) => {
    const { AuthenticationResult } = await refusing(() =>
      client.send(
        new RespondToAuthChallengeCommand({
          ClientId: pool.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: session,
          ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
        }),
      ),
    );
    return AuthenticationResult;
  };

  return {
    async signIn(email, password, newPassword) {
      const answer = await authenticate('USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD: password });
      if (answer.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
        if (newPassword === undefined) throw new NewPasswordRequiredError(email);
        // Cognito names the user in the challenge (USER_ID_FOR_SRP); the reply must use that name.
        const username = answer.ChallengeParameters?.['USER_ID_FOR_SRP'] ?? email;
        return tokensOf(await setFirstPassword(username, answer.Session, newPassword));
      }
      if (newPassword !== undefined) throw new NoNewPasswordExpectedError(email);
      return tokensOf(answer.AuthenticationResult);
    },
    async refresh(refreshToken) {
      return tokensOf((await authenticate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken })).AuthenticationResult, refreshToken);
    },
    async revokeRefreshToken(refreshToken) {
      try {
        await client.send(new RevokeTokenCommand({ ClientId: pool.clientId, Token: refreshToken }));
      } catch (error) {
        // RevokeToken calls a token it cannot use a bad parameter or unauthorized, not a wrong credential.
        if (error instanceof Error && ['InvalidParameterException', 'UnauthorizedException'].includes(error.name)) {
          throw new InvalidCredentialsError(error.name);
        }
        throw refusal(error);
      }
    },
    async changePassword(accessToken, currentPassword, newPassword) {
      await refusing(() =>
        client.send(
          new ChangePasswordCommand({ AccessToken: accessToken, PreviousPassword: currentPassword, ProposedPassword: newPassword }),
        ),
      );
    },
    async startPasswordReset(email) {
      try {
        await client.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: email }));
      } catch (error) {
        // With user-existence errors prevented Cognito answers the same for unknown emails;
        // an emulator that tells them apart must not make the API tell them apart either.
        const outcome = refusal(error);
        if (outcome instanceof InvalidCredentialsError || (error instanceof Error && error.name === 'InvalidParameterException')) return;
        throw outcome;
      }
    },
    async confirmPasswordReset(email, code, newPassword) {
      await refusing(() =>
        client.send(
          new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: code, Password: newPassword }),
        ),
      );
    },
    async createAccount({ email, password, role }) {
      let sub: string | undefined;
      try {
        const { User } = await client.send(
          new AdminCreateUserCommand({
            UserPoolId: pool.userPoolId,
            Username: email,
            UserAttributes: [
              { Name: 'email', Value: email },
              { Name: 'email_verified', Value: 'true' },
            ],
            // With a password the creator hands it over; without one Cognito mails an invitation.
            ...(password ? { MessageAction: 'SUPPRESS' as const, TemporaryPassword: password.value } : {}),
            DesiredDeliveryMediums: ['EMAIL'],
          }),
        );
        sub = User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
      } catch (error) {
        if (error instanceof Error && error.name === 'UsernameExistsException') throw new AccountExistsError(email);
        throw refusal(error);
      }
      if (!sub) throw new Error('the user pool returned no sub for a new user');
      try {
        if (password?.kind === 'permanent') {
          await client.send(
            new AdminSetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: email, Password: password.value, Permanent: true }),
          );
        }
        await client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: email, GroupName: role }));
      } catch (error) {
        await client.send(new AdminDeleteUserCommand({ UserPoolId: pool.userPoolId, Username: email })).catch(() => undefined);
        throw refusal(error);
      }
      return { sub };
    },
    async deleteAccount(email) {
      await client.send(new AdminDeleteUserCommand({ UserPoolId: pool.userPoolId, Username: email }));
    },
    async invitationPending(email) {
      const { UserStatus } = await client.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: email }));
      return UserStatus === 'FORCE_CHANGE_PASSWORD';
    },
    async disableAccount(email) {
      // Disabled first, so no sign-in can mint a refresh token after the sign-out has revoked them all.
      // Both calls succeed again on a disabled account, so a retry after a failure finishes the job.
      await client.send(new AdminDisableUserCommand({ UserPoolId: pool.userPoolId, Username: email }));
      await client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.userPoolId, Username: email }));
    },
    async changeRole(email, from, to) {
      // Removing the old group when it is also the new one would leave the account in none.
      if (from === to) return;
      // Added before removed: a failure in between leaves the account in both groups, never in
      // neither; adding it to a group it is already in succeeds, so a retry puts it right.
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: email, GroupName: to }));
      await client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool.userPoolId, Username: email, GroupName: from }));
    },
  };
}

let fromEnv: IdentityProvider | undefined;
export function identityProviderFromEnv(): IdentityProvider {
  fromEnv ??= createCognitoIdentityProvider(new CognitoIdentityProviderClient({}), {
    userPoolId: requireEnv(ENV.userPoolId),
    clientId: requireEnv(ENV.userPoolClientId),
  });
  return fromEnv;
}
