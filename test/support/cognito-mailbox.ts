// What the twin's user pool "mailed": cognito-local keeps the last code it sent a user on that
// user in its database file (and writes the mail to its log), where a test reads it.
import { storedUser } from '../../infra/local/services/cognito-local-db.ts';

export async function mailedCode(cognitoDataDir: string, userPoolId: string, email: string): Promise<string> {
  const code = (await storedUser(cognitoDataDir, userPoolId, email))?.ConfirmationCode;
  if (code === undefined) throw new Error(`no code was mailed to ${email}`);
  return code;
}
