// A thin front for cognito-local that makes it answer as Cognito does where the API depends
// on it. Everything else passes through untouched.
//   - USER_PASSWORD_AUTH checks a temporary password too (cognito-local hands the
//     NEW_PASSWORD_REQUIRED challenge to any password), and a wrong password is
//     NotAuthorizedException, not InvalidPasswordException.
//   - NEW_PASSWORD_REQUIRED needs the session its challenge gave out, once; and the refresh
//     token it returns works (cognito-local forgets to store it, so the shim signs in once more
//     with the new password and returns those tokens).
//   - ChangePassword with a wrong current password is NotAuthorizedException.
//   - Sign-in answers carry ExpiresIn.
// It reads cognito-local's own database file for the temporary password; it never writes it.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

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

export function createCognitoShim(options: CognitoShimOptions): (request: IncomingMessage, response: ServerResponse) => void {
  /** Sessions of NEW_PASSWORD_REQUIRED challenges given out, and for which user. */
  const challengeSessions = new Map<string, string>();

  const call = async (target: string, body: Json, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(options.upstream, {
      method: 'POST',
      headers: { ...headers, 'content-type': AMZ_JSON, 'x-amz-target': `${TARGET_PREFIX}${target}` },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text.length > 0 ? (JSON.parse(text) as Json) : {} };
  };

  /** cognito-local's record of a user of the client's pool, as it stores it. */
  const storedUser = async (
    clientId: string,
    username: string,
  ): Promise<{ Username: string; Password?: string; UserStatus?: string } | undefined> => {
    const read = async (file: string) => JSON.parse(await readFile(join(options.dataDir, '.cognito', 'db', file), 'utf8')) as Json;
    const clients = (await read('clients.json'))['Clients'] as Record<string, { UserPoolId: string }> | undefined;
    const poolId = clients?.[clientId]?.UserPoolId;
    if (poolId === undefined) return undefined;
    const users = Object.values(((await read(`${poolId}.json`))['Users'] ?? {}) as Record<string, Json>);
    const wanted = username.toLowerCase();
    const found = users.find(
      (user) =>
        String(user['Username']).toLowerCase() === wanted ||
        ((user['Attributes'] ?? []) as Array<{ Name: string; Value: string }>).some(
          (attribute) => attribute.Name === 'email' && attribute.Value.toLowerCase() === wanted,
        ),
    );
    return found as { Username: string; Password?: string; UserStatus?: string } | undefined;
  };

  const withExpiresIn = (answer: Answer): Answer => {
    const result = answer.body['AuthenticationResult'] as Json | undefined;
    const accessToken = result?.['AccessToken'];
    if (result === undefined || typeof accessToken !== 'string' || result['ExpiresIn'] !== undefined) return answer;
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: number;
      iat?: number;
    };
    const expiresIn = payload.exp !== undefined && payload.iat !== undefined ? payload.exp - payload.iat : 3600;
    return { ...answer, body: { ...answer.body, AuthenticationResult: { ...result, ExpiresIn: expiresIn, TokenType: 'Bearer' } } };
  };

  const initiateAuth = async (body: Json): Promise<Answer> => {
    if (body['AuthFlow'] !== 'USER_PASSWORD_AUTH') return withExpiresIn(await call('InitiateAuth', body));
    const parameters = (body['AuthParameters'] ?? {}) as Record<string, string>;
    const username = parameters['USERNAME'] ?? '';
    const stored = await storedUser(String(body['ClientId']), username);
    if (stored?.UserStatus === 'FORCE_CHANGE_PASSWORD' && stored.Password !== parameters['PASSWORD']) return WRONG_CREDENTIALS();
    const answer = await call('InitiateAuth', body);
    if (answer.body['__type'] === 'InvalidPasswordException') return WRONG_CREDENTIALS();
    if (answer.body['ChallengeName'] === 'NEW_PASSWORD_REQUIRED' && typeof answer.body['Session'] === 'string') {
      challengeSessions.set(answer.body['Session'], stored?.Username ?? username);
    }
    return withExpiresIn(answer);
  };

  const respondToChallenge = async (body: Json): Promise<Answer> => {
    if (body['ChallengeName'] !== 'NEW_PASSWORD_REQUIRED') return call('RespondToAuthChallenge', body);
    const responses = (body['ChallengeResponses'] ?? {}) as Record<string, string>;
    const session = String(body['Session'] ?? '');
    const user = challengeSessions.get(session);
    if (user === undefined || user !== responses['USERNAME']) return refusal('NotAuthorizedException', 'Invalid session for the user.');
    const answer = await call('RespondToAuthChallenge', body);
    if (answer.status !== 200) return answer;
    challengeSessions.delete(session);
    // A fresh sign-in with the new password gives a refresh token cognito-local will honour.
    return withExpiresIn(
      await call('InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: body['ClientId'],
        AuthParameters: { USERNAME: user, PASSWORD: responses['NEW_PASSWORD'] ?? '' },
      }),
    );
  };

  const changePassword = async (body: Json, headers: Record<string, string>): Promise<Answer> => {
    const answer = await call('ChangePassword', body, headers);
    return answer.body['__type'] === 'InvalidPasswordException' ? WRONG_CREDENTIALS() : answer;
  };

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

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const target = String(request.headers['x-amz-target'] ?? '').split('.')[1];
    const intercepted: Record<string, (body: Json, headers: Record<string, string>) => Promise<Answer>> = {
      InitiateAuth: initiateAuth,
      RespondToAuthChallenge: respondToChallenge,
      ChangePassword: changePassword,
    };
    const handler =
      request.method === 'POST' && target !== undefined && Object.hasOwn(intercepted, target) ? intercepted[target] : undefined;
    if (handler === undefined) {
      await forward(request, response, raw);
      return;
    }
    const answer = await handler(JSON.parse(raw.toString('utf8') || '{}') as Json, {});
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
