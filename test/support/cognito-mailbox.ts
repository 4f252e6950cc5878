// What the twin's user pool "mailed": cognito-local keeps the last code it sent a user on that
// user in its database file (and writes the mail to its log), where a test reads it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { storedUser } from '../../infra/local/services/cognito-local-db.ts';

export async function mailedCode(cognitoDataDir: string, userPoolId: string, email: string): Promise<string> {
  const code = (await storedUser(cognitoDataDir, userPoolId, email))?.ConfirmationCode;
  if (code === undefined) throw new Error(`no code was mailed to ${email}`);
  return code;
}

/** The temporary password of the invitation cognito-local "mailed" to `email` (it writes the mail to its log). */
export async function invitationPassword(twinDataDir: string, email: string): Promise<string> {
  const log = await readFile(join(twinDataDir, 'logs', 'cognito-local.log'), 'utf8');
  const mail = log.slice(log.lastIndexOf(`Destination: ${email}`));
  const code = /Code:\s+(\S+)/.exec(mail)?.[1];
  if (!code) throw new Error(`no invitation to ${email} in cognito-local's log`);
  return code;
}
