// Sign-in, refresh, sign-out and passwords over the user pool, with one answer for every
// credential failure so the API does not reveal which emails have accounts.
import {
  type IdentityProvider,
  InvalidCredentialsError,
  NewPasswordRequiredError,
  NoNewPasswordExpectedError,
  type Tokens,
  TooManyAttemptsError,
  WeakPasswordError,
} from '../auth/identity-provider.ts';
import { LimitExceededError, UnauthenticatedError, ValidationError } from '../domain/errors.ts';

const newPasswordProblem = (detail: string, message: string) => new ValidationError(detail, [{ path: 'body.newPassword', message }]);

/** Runs a call to the user pool, turning its refusals into our errors; `refused` says what a wrong credential means here. */
async function withPool<T>(call: () => Promise<T>, refused: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof InvalidCredentialsError) throw new UnauthenticatedError(refused);
    if (error instanceof WeakPasswordError) {
      throw newPasswordProblem(`newPassword does not meet the policy: ${error.message}`, 'does not meet the password policy');
    }
    if (error instanceof TooManyAttemptsError) throw new LimitExceededError('too many attempts; wait a few minutes and try again');
    throw error;
  }
}

/**
 * Signs in; `newPassword` completes the first sign-in of an account whose password someone
 * else set (a temporary password from its creator, or an invitation's), replacing it.
 */
export async function signIn(identity: IdentityProvider, email: string, password: string, newPassword?: string): Promise<Tokens> {
  try {
    return await withPool(() => identity.signIn(email, password, newPassword), 'email or password is wrong');
  } catch (error) {
    if (error instanceof NewPasswordRequiredError) {
      throw newPasswordProblem(
        'this account still has the temporary password it was given: sign in again with newPassword, a password of your own',
        'required on the first sign-in of an account created by someone else',
      );
    }
    if (error instanceof NoNewPasswordExpectedError) {
      throw newPasswordProblem(
        'this account already has a password of its own; newPassword is only for the first sign-in with a temporary password',
        'not expected for this account',
      );
    }
    throw error;
  }
}

export function refreshTokens(identity: IdentityProvider, refreshToken: string): Promise<Tokens> {
  return withPool(() => identity.refresh(refreshToken), 'the refresh token is invalid, expired or revoked');
}

/** Ends the session the refresh token belongs to: it can no longer renew the access token. */
export function signOut(identity: IdentityProvider, refreshToken: string): Promise<void> {
  return withPool(() => identity.revokeRefreshToken(refreshToken), 'the refresh token is not a valid one of this app');
}

export function changePassword(
  identity: IdentityProvider,
  accessToken: string,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  return withPool(() => identity.changePassword(accessToken, currentPassword, newPassword), 'the current password is wrong');
}

export const PASSWORD_RESET_STARTED = {
  message: 'If an account with this email exists, a code to reset its password has been sent to it.',
};

/** Always the same answer, whether or not the email has an account. */
export async function startPasswordReset(identity: IdentityProvider, email: string): Promise<typeof PASSWORD_RESET_STARTED> {
  try {
    await identity.startPasswordReset(email);
  } catch (error) {
    // Throttling must not tell an existing account from a missing one either.
    if (!(error instanceof TooManyAttemptsError)) throw error;
  }
  return PASSWORD_RESET_STARTED;
}

export function resetPassword(identity: IdentityProvider, email: string, code: string, newPassword: string): Promise<void> {
  return withPool(
    () => identity.confirmPasswordReset(email, code, newPassword),
    'the email and code do not match, or the code has expired',
  );
}
