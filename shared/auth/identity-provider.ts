// The user directory (Cognito user pool): sign-in, refresh and account creation. Services
// take the IdentityProvider interface so unit tests use a fake instead of SDK mocks.
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ENV, requireEnv } from '../config/env.ts';
import type { Role } from './user-pool-definition.ts';

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
}

export interface IdentityProvider {
  /**
   * Signs in. An invited account still has the temporary password of its invitation: then
   * `newPassword` replaces it in the same call, and without one NewPasswordRequiredError says so.
   */
  signIn(email: string, password: string, newPassword?: string): Promise<Tokens>;
  refresh(refreshToken: string): Promise<Tokens>;
  /** Creates a signed-up account in the role's group and returns its subject (our userId). */
  createAccount(input: { email: string; password?: string; role: Role }): Promise<{ sub: string }>;
  deleteAccount(email: string): Promise<void>;
}

/** Sign-in failed for a reason the caller may be told about only as "wrong credentials". */
export class InvalidCredentialsError extends Error {
  override name = 'InvalidCredentialsError';
}

/** The password was right but temporary (an invitation's): the account needs a new one first. */
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

// Cognito answers a wrong password with NotAuthorizedException; cognito-local with
// InvalidPasswordException, which from RespondToAuthChallenge means a weak new password instead.
const CREDENTIAL_FAILURES = new Set([
  'NotAuthorizedException',
  'UserNotFoundException',
  'UserNotConfirmedException',
  'PasswordResetRequiredException',
]);
const SIGN_IN_FAILURES = new Set([...CREDENTIAL_FAILURES, 'InvalidPasswordException']);

export function createCognitoIdentityProvider(
  client: CognitoIdentityProviderClient,
  pool: { userPoolId: string; clientId: string },
): IdentityProvider {
  const authenticate = async (flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH', parameters: Record<string, string>) => {
    try {
      return await client.send(new InitiateAuthCommand({ AuthFlow: flow, ClientId: pool.clientId, AuthParameters: parameters }));
    } catch (error) {
      if (error instanceof Error && SIGN_IN_FAILURES.has(error.name)) throw new InvalidCredentialsError(error.name);
      throw error;
    }
  };

  /** `username` is the pool's own name for the user: with email sign-in that is not the email. */
  const setFirstPassword = async (username: string, session: string | undefined, newPassword: string) => {
    try {
      const { AuthenticationResult } = await client.send(
        new RespondToAuthChallengeCommand({
          ClientId: pool.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: session,
          ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
        }),
      );
      return AuthenticationResult;
    } catch (error) {
      if (error instanceof Error && error.name === 'InvalidPasswordException') throw new WeakPasswordError(error.message);
      if (error instanceof Error && CREDENTIAL_FAILURES.has(error.name)) throw new InvalidCredentialsError(error.name);
      throw error;
    }
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
            // With a password given we set it ourselves; without one Cognito mails an invitation.
            ...(password ? { MessageAction: 'SUPPRESS' as const } : {}),
            DesiredDeliveryMediums: ['EMAIL'],
          }),
        );
        sub = User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
      } catch (error) {
        if (error instanceof Error && error.name === 'UsernameExistsException') throw new AccountExistsError(email);
        throw error;
      }
      if (!sub) throw new Error('the user pool returned no sub for a new user');
      try {
        if (password) {
          await client.send(
            new AdminSetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: email, Password: password, Permanent: true }),
          );
        }
        await client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: email, GroupName: role }));
      } catch (error) {
        await client.send(new AdminDeleteUserCommand({ UserPoolId: pool.userPoolId, Username: email })).catch(() => undefined);
        if (error instanceof Error && error.name === 'InvalidPasswordException') throw new WeakPasswordError(error.message);
        throw error;
      }
      return { sub };
    },
    async deleteAccount(email) {
      await client.send(new AdminDeleteUserCommand({ UserPoolId: pool.userPoolId, Username: email }));
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
