// Sign-in and refresh over the user pool, with one answer for every credential failure so
// the API does not reveal which emails have accounts.
import { InvalidCredentialsError, type IdentityProvider, type Tokens } from '../auth/identity-provider.ts';
import { UnauthorizedError } from '../http/errors.ts';

async function withCredentialCheck(action: () => Promise<Tokens>, failure: string): Promise<Tokens> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof InvalidCredentialsError) throw new UnauthorizedError(failure);
    throw error;
  }
}

export function signIn(identity: IdentityProvider, email: string, password: string): Promise<Tokens> {
  return withCredentialCheck(() => identity.signIn(email, password), 'email or password is wrong');
}

export function refreshTokens(identity: IdentityProvider, refreshToken: string): Promise<Tokens> {
  return withCredentialCheck(() => identity.refresh(refreshToken), 'the refresh token is invalid or expired');
}
