// A thin front for cognito-local that makes it answer as Cognito does where the API depends
// on it. Everything else passes through untouched.
//   - USER_PASSWORD_AUTH checks a temporary password too (cognito-local hands the
//     NEW_PASSWORD_REQUIRED challenge to any password), and a wrong password is
//     NotAuthorizedException, not InvalidPasswordException.
//   - NEW_PASSWORD_REQUIRED needs the session its challenge gave out, once; and the refresh
//     token it returns works (cognito-local forgets to store it, so the shim signs in once more
//     with the new password and returns those tokens).
//     A challenge session expires after three minutes, and USERNAME may be the email alias.
//   - ChangePassword with a wrong current password is NotAuthorizedException.
//   - A new password (challenge, ChangePassword, ConfirmForgotPassword) must meet the pool's
//     password policy (InvalidPasswordException), which cognito-local does not check.
//   - Sign-in answers carry ExpiresIn.
//   - A disabled user (AdminDisableUser) can neither sign in nor refresh: NotAuthorizedException
//     "User is disabled." (cognito-local stores Enabled: false but never reads it).
//   - AdminUserGlobalSignOut, which cognito-local lacks, revokes every refresh token the user
//     holds through cognito-local's own RevokeToken.
// It reads cognito-local's own database files for users (temporary password, Enabled, refresh
// tokens), app clients and the policy; it never writes them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientsOfPool, poolOfClient, type StoredPasswordPolicy, storedPasswordPolicy, storedUser } from './cognito-local-db.ts';

export interface CognitoShimOptions {
  /** cognito-local's own endpoint. */
  readonly upstream: string;
  /** cognito-local's working directory (it keeps .cognito/db there). */
  readonly dataDir: string;
}

type Json = Record<string, unknown>;

interface Answer {
  readonly status: number;
  readonly body: Json;
}

const AMZ_JSON = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

const refusal = (type: string, message: string): Answer => ({ status: 400, body: { __type: type, message } });
const WRONG_CREDENTIALS = () => refusal('NotAuthorizedException', 'Incorrect username or password.');
const USER_DISABLED = () => refusal('NotAuthorizedException', 'User is disabled.');
/** cognito-local takes the legacy name of the refresh flow too. */
const REFRESH_FLOWS = new Set(['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN']);
/** Cognito lets a NEW_PASSWORD_REQUIRED session be used for three minutes. */
const CHALLENGE_SESSION_MS = 3 * 60_000;

/** Cognito's wording for the first rule a new password breaks, or undefined when it meets the policy. */
function policyBreach(password: string, policy: StoredPasswordPolicy): string | undefined {
  const rules: Array<[boolean | undefined, boolean, string]> = [
    [true, password.length >= (policy.MinimumLength ?? 8), 'Password not long enough'],
    [policy.RequireUppercase, /[A-Z]/.test(password), 'Password must have uppercase characters'],
    [policy.RequireLowercase, /[a-z]/.test(password), 'Password must have lowercase characters'],
    [policy.RequireNumbers, /[0-9]/.test(password), 'Password must have numeric characters'],
    [policy.RequireSymbols, /[^A-Za-z0-9]/.test(password), 'Password must have symbol characters'],
  ];
  const broken = rules.find(([required, met]) => required === true && !met);
  return broken === undefined ? undefined : `Password did not conform with policy: ${broken[2]}`;
}

/** The claims of a token cognito-local issued, unverified: cognito-local verifies it itself. */
function unverifiedClaims(token: unknown): Json {
  try {
    return JSON.parse(Buffer.from(String(token).split('.')[1] ?? '', 'base64url').toString('utf8')) as Json;
  } catch {
    return {};
  }
}

export function createCognitoShim(options: CognitoShimOptions): (request: IncomingMessage, response: ServerResponse) => void {
  /** Sessions of NEW_PASSWORD_REQUIRED challenges given out: for which user, until when. */
  const challengeSessions = new Map<string, { readonly username: string; readonly expiresAt: number }>();

  const call = async (target: string, body: Json): Promise<Answer> => {
    const response = await fetch(options.upstream, {
      method: 'POST',
      headers: { 'content-type': AMZ_JSON, 'x-amz-target': `${TARGET_PREFIX}${target}` },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text.length > 0 ? (JSON.parse(text) as Json) : {} };
  };

  const poolOf = (clientId: unknown) => poolOfClient(options.dataDir, String(clientId));

  /** cognito-local's record of a user of the pool, as it stores it. */
  const userOfPool = async (poolId: string | undefined, signInName: string) =>
    poolId === undefined ? undefined : storedUser(options.dataDir, poolId, signInName);

  /** InvalidPasswordException when the new password breaks the pool's policy. */
  const policyRefusal = async (poolId: string | undefined, password: unknown): Promise<Answer | undefined> => {
    if (poolId === undefined || typeof password !== 'string') return undefined;
    const breach = policyBreach(password, await storedPasswordPolicy(options.dataDir, poolId));
    return breach === undefined ? undefined : refusal('InvalidPasswordException', breach);
  };

  const withExpiresIn = (answer: Answer): Answer => {
    const result = answer.body['AuthenticationResult'] as Json | undefined;
    const accessToken = result?.['AccessToken'];
    if (result === undefined || typeof accessToken !== 'string' || result['ExpiresIn'] !== undefined) return answer;
    const { exp, iat } = unverifiedClaims(accessToken);
    const expiresIn = typeof exp === 'number' && typeof iat === 'number' ? exp - iat : 3600;
    return { ...answer, body: { ...answer.body, AuthenticationResult: { ...result, ExpiresIn: expiresIn, TokenType: 'Bearer' } } };
  };

  /** The refresh token does not name its user in cognito-local's database, so the renewed access token is read for it. */
  const refresh = async (body: Json): Promise<Answer> => {
    const answer = await call('InitiateAuth', body);
    if (answer.status !== 200) return answer;
    const accessToken = (answer.body['AuthenticationResult'] as Json | undefined)?.['AccessToken'];
    const username = unverifiedClaims(accessToken)['username'];
    const stored = typeof username === 'string' ? await userOfPool(await poolOf(body['ClientId']), username) : undefined;
    return stored?.Enabled === false ? USER_DISABLED() : withExpiresIn(answer);
  };

  const initiateAuth = async (body: Json): Promise<Answer> => {
    if (REFRESH_FLOWS.has(String(body['AuthFlow']))) return refresh(body);
    if (body['AuthFlow'] !== 'USER_PASSWORD_AUTH') return withExpiresIn(await call('InitiateAuth', body));
    const parameters = (body['AuthParameters'] ?? {}) as Record<string, string>;
    const username = parameters['USERNAME'] ?? '';
    const stored = await userOfPool(await poolOf(body['ClientId']), username);
    // Refused before cognito-local is asked, so a disabled user is not handed a new refresh token.
    if (stored?.Enabled === false) return USER_DISABLED();
    if (stored?.UserStatus === 'FORCE_CHANGE_PASSWORD' && stored.Password !== parameters['PASSWORD']) return WRONG_CREDENTIALS();
    const answer = await call('InitiateAuth', body);
    if (answer.body['__type'] === 'InvalidPasswordException') return WRONG_CREDENTIALS();
    if (answer.body['ChallengeName'] === 'NEW_PASSWORD_REQUIRED' && typeof answer.body['Session'] === 'string') {
      for (const [id, session] of challengeSessions) if (session.expiresAt < Date.now()) challengeSessions.delete(id);
      challengeSessions.set(answer.body['Session'], {
        username: stored?.Username ?? username,
        expiresAt: Date.now() + CHALLENGE_SESSION_MS,
      });
    }
    return withExpiresIn(answer);
  };

  const respondToChallenge = async (body: Json): Promise<Answer> => {
    if (body['ChallengeName'] !== 'NEW_PASSWORD_REQUIRED') return call('RespondToAuthChallenge', body);
    const responses = (body['ChallengeResponses'] ?? {}) as Record<string, string>;
    const sessionId = String(body['Session'] ?? '');
    const session = challengeSessions.get(sessionId);
    const poolId = await poolOf(body['ClientId']);
    const named = await userOfPool(poolId, responses['USERNAME'] ?? '');
    const expired = session !== undefined && session.expiresAt < Date.now();
    if (expired) challengeSessions.delete(sessionId);
    if (session === undefined || expired || named?.Username !== session.username) {
      return refusal('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    }
    const weak = await policyRefusal(poolId, responses['NEW_PASSWORD']);
    if (weak !== undefined) return weak;
    const answer = await call('RespondToAuthChallenge', { ...body, ChallengeResponses: { ...responses, USERNAME: session.username } });
    if (answer.status !== 200) return answer;
    challengeSessions.delete(sessionId);
    // A fresh sign-in with the new password gives a refresh token cognito-local will honour.
    return withExpiresIn(
      await call('InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: body['ClientId'],
        AuthParameters: { USERNAME: session.username, PASSWORD: responses['NEW_PASSWORD'] ?? '' },
      }),
    );
  };

  const changePassword = async (body: Json): Promise<Answer> => {
    const weak = await policyRefusal(await poolOf(unverifiedClaims(body['AccessToken'])['client_id']), body['ProposedPassword']);
    if (weak !== undefined) return weak;
    const answer = await call('ChangePassword', body);
    return answer.body['__type'] === 'InvalidPasswordException' ? WRONG_CREDENTIALS() : answer;
  };

  /** Revokes, one by one, every refresh token cognito-local keeps for the user. */
  const adminUserGlobalSignOut = async (body: Json): Promise<Answer> => {
    const poolId = String(body['UserPoolId'] ?? '');
    const stored = await storedUser(options.dataDir, poolId, String(body['Username'] ?? ''));
    if (stored === undefined) return refusal('UserNotFoundException', 'User does not exist.');
    // RevokeToken names an app client, not a pool; any client of the pool will do.
    const [clientId] = await clientsOfPool(options.dataDir, poolId);
    for (const token of stored.RefreshTokens ?? []) {
      const revoked = await call('RevokeToken', { ClientId: clientId, Token: token });
      // NotAuthorizedException: the token was revoked meanwhile, which is what was wanted.
      if (revoked.status !== 200 && revoked.body['__type'] !== 'NotAuthorizedException') return revoked;
    }
    return { status: 200, body: {} };
  };

  const confirmForgotPassword = async (body: Json): Promise<Answer> =>
    (await policyRefusal(await poolOf(body['ClientId']), body['Password'])) ?? call('ConfirmForgotPassword', body);

  const forward = async (request: IncomingMessage, response: ServerResponse, raw: Buffer): Promise<void> => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && name !== 'host' && name !== 'content-length' && name !== 'connection') {
        headers[name] = Array.isArray(value) ? value.join(',') : value;
      }
    }
    const upstream = await fetch(new URL(request.url ?? '/', options.upstream), {
      method: request.method ?? 'GET',
      headers,
      ...(raw.length > 0 ? { body: raw } : {}),
    });
    response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? AMZ_JSON });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  };

  // The operations the shim answers itself (with cognito-local's help); all others pass through.
  const intercepted = new Map<string, (body: Json) => Promise<Answer>>([
    ['InitiateAuth', initiateAuth],
    ['RespondToAuthChallenge', respondToChallenge],
    ['ChangePassword', changePassword],
    ['ConfirmForgotPassword', confirmForgotPassword],
    ['AdminUserGlobalSignOut', adminUserGlobalSignOut],
  ]);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const target = String(request.headers['x-amz-target'] ?? '').split('.')[1];
    const handler = request.method === 'POST' && target !== undefined ? intercepted.get(target) : undefined;
    if (handler === undefined) {
      await forward(request, response, raw);
      return;
    }
    const answer = await handler(JSON.parse(raw.toString('utf8') || '{}') as Json);
    response.writeHead(answer.status, { 'content-type': AMZ_JSON });
    response.end(JSON.stringify(answer.body));
  };

  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': AMZ_JSON });
      response.end(JSON.stringify({ __type: 'InternalErrorException', message: String(error) }));
    });
  };
}
