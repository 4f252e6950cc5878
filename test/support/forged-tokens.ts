// Tokens signed with cognito-local's published key pair, for verifier tests that need no
// running cognito-local.
import { createPrivateKey, createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const keysDir = join(dirname(createRequire(import.meta.url).resolve('cognito-local')), 'keys');
const readJwk = (file: string) => (JSON.parse(readFileSync(join(keysDir, file), 'utf8')) as { jwk: Record<string, unknown> }).jwk;

export const COGNITO_LOCAL_PUBLIC_JWK = readJwk('cognitoLocal.public.json');

export function signWithCognitoLocalKey(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'CognitoLocal' })}.${encode(claims)}`;
  const key = createPrivateKey({ key: readJwk('cognitoLocal.private.json') as never, format: 'jwk' });
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}
