// Sign-in and refresh over the user pool, with one answer for every credential failure so
// the API does not reveal which emails have accounts.
import {
  InvalidCredentialsError,
  NewPasswordRequiredError,
  NoNewPasswordExpectedError,
  WeakPasswordError,
  type IdentityProvider,
  type Tokens,
} from '../auth/identity-provider.ts';
import { UnauthorizedError, ValidationError } from '../http/errors.ts';

async function withCredentialCheck(action: () => Promise<Tokens>, failure: string): Promise<Tokens> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof InvalidCredentialsError) throw new UnauthorizedError(failure);
    throw error;
  }
}

const newPasswordProblem = (detail: string, message: string) => new ValidationError(detail, [{ path: 'body.newPassword', message }]);

/**
 * Signs in; `newPassword` completes the first sign-in of an invited account (created without
 * a password), replacing the temporary password its invitation carried.
 */
export async function signIn(identity: IdentityProvider, email: string, password: string, newPassword?: string): Promise<Tokens> {
  try {
    return await identity.signIn(email, password, newPassword);
  } catch (error) {
    if (error instanceof InvalidCredentialsError) throw new UnauthorizedError('email or password is wrong');
    if (error instanceof NewPasswordRequiredError) {
      throw newPasswordProblem(
        'this account still has the temporary password of its invitation: sign in again with newPassword, a password of your own',
        'required on the first sign-in of an invited account',
      );
    }
    if (error instanceof NoNewPasswordExpectedError) {
      throw newPasswordProblem(
        'this account already has a password of its own; newPassword is only for the first sign-in of an invited account',
        'not expected for this account',
      );
    }
    if (error instanceof WeakPasswordError)
      throw newPasswordProblem(`newPassword does not meet the policy: ${error.message}`, 'does not meet the password policy');
    throw error;
  }
}

export function refreshTokens(identity: IdentityProvider, refreshToken: string): Promise<Tokens> {
  return withCredentialCheck(() => identity.refresh(refreshToken), 'the refresh token is invalid or expired');
}
