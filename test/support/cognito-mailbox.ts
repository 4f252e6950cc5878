// What the twin's user pool "mailed": cognito-local keeps the last code it sent a user on that
// user in its database file (and writes the mail to its log), where a test reads it.
import { storedUser } from '../../infra/local/services/cognito-local-db.ts';

export async function mailedCode(cognitoDataDir: string, userPoolId: string, email: string): Promise<string> {
  const code = (await storedUser(cognitoDataDir, userPoolId, email))?.ConfirmationCode;
  if (code === undefined) throw new Error(`no code was mailed to ${email}`);
  return code;
}

/**
 * The temporary password of the invitation cognito-local "mailed" to `email`: the password it
 * generated and stored on the new user, which its (buffered, late) log shows in the mail.
 */
export async function invitationPassword(twin: { dataDir: string; state: { userPoolId: string } }, email: string): Promise<string> {
  const user = await storedUser(twin.dataDir, twin.state.userPoolId, email);
  if (user?.Password === undefined || user.UserStatus !== 'FORCE_CHANGE_PASSWORD') throw new Error(`no invitation is pending for ${email}`);
  return user.Password;
}
