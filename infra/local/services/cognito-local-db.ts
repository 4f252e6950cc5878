// Read-only access to cognito-local's database files (.cognito/db under its working folder),
// for the shim and for tests that read what it "mailed". cognito-local rewrites a file whole
// on every change, so a read can meet a half-written file: that read is retried.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

type Json = Record<string, unknown>;

export interface StoredUser {
  readonly Username: string;
  readonly Password?: string;
  readonly UserStatus?: string;
  readonly ConfirmationCode?: string;
  /** AdminDisableUser sets it to false; cognito-local's own sign-in never reads it. */
  readonly Enabled?: boolean;
  /** The refresh tokens cognito-local will still honour for this user. */
  readonly RefreshTokens?: readonly string[];
  readonly Attributes?: ReadonlyArray<{ readonly Name: string; readonly Value: string }>;
}

/** A pool's password policy as CreateUserPool stored it. */
export interface StoredPasswordPolicy {
  readonly MinimumLength?: number;
  readonly RequireLowercase?: boolean;
  readonly RequireUppercase?: boolean;
  readonly RequireNumbers?: boolean;
  readonly RequireSymbols?: boolean;
}

const TORN_READ_RETRIES = 5;

async function readDbFile(dataDir: string, file: string): Promise<Json | undefined> {
  const path = join(dataDir, '.cognito', 'db', file);
  for (let attempt = 1; ; attempt++) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
    try {
      return JSON.parse(text) as Json;
    } catch (error) {
      if (attempt >= TORN_READ_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

async function storedClients(dataDir: string): Promise<Map<string, { UserPoolId?: string }>> {
  const clients = (await readDbFile(dataDir, 'clients.json'))?.['Clients'] as Record<string, { UserPoolId?: string }> | undefined;
  return new Map(Object.entries(clients ?? {}));
}

export async function poolOfClient(dataDir: string, clientId: string): Promise<string | undefined> {
  return (await storedClients(dataDir)).get(clientId)?.UserPoolId;
}

/** The ids of the app clients of a pool (calls such as RevokeToken name a client, not a pool). */
export async function clientsOfPool(dataDir: string, userPoolId: string): Promise<string[]> {
  return [...(await storedClients(dataDir))].filter(([, client]) => client.UserPoolId === userPoolId).map(([clientId]) => clientId);
}

/** The user a sign-in name (the username or the email alias, in any case) names, if any. */
export async function storedUser(dataDir: string, userPoolId: string, signInName: string): Promise<StoredUser | undefined> {
  const users = Object.values(((await readDbFile(dataDir, `${userPoolId}.json`))?.['Users'] ?? {}) as Record<string, StoredUser>);
  const wanted = signInName.toLowerCase();
  return users.find(
    (user) =>
      user.Username.toLowerCase() === wanted ||
      (user.Attributes ?? []).some((attribute) => attribute.Name === 'email' && attribute.Value.toLowerCase() === wanted),
  );
}

export async function storedPasswordPolicy(dataDir: string, userPoolId: string): Promise<StoredPasswordPolicy> {
  const options = (await readDbFile(dataDir, `${userPoolId}.json`))?.['Options'] as
    | { Policies?: { PasswordPolicy?: StoredPasswordPolicy } }
    | undefined;
  return options?.Policies?.PasswordPolicy ?? {};
}
