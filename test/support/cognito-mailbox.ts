// What the twin's user pool "mailed": cognito-local keeps the last code it sent a user on that
// user in its database file (and writes the mail to its log), where a test reads it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function mailedCode(cognitoDataDir: string, userPoolId: string, email: string): Promise<string> {
  const db = JSON.parse(await readFile(join(cognitoDataDir, '.cognito', 'db', `${userPoolId}.json`), 'utf8')) as {
    Users: Record<string, { ConfirmationCode?: string; Attributes?: Array<{ Name: string; Value: string }> }>;
  };
  const user = Object.values(db.Users).find((candidate) =>
    (candidate.Attributes ?? []).some((attribute) => attribute.Name === 'email' && attribute.Value === email),
  );
  if (user?.ConfirmationCode === undefined) throw new Error(`no code was mailed to ${email}`);
  return user.ConfirmationCode;
}
