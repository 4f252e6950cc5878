// Emulates the HTTP API's Cognito JWT authorizer. API Gateway hands the Lambda every claim
// as a string and flattens arrays to "[a b]" (so `cognito:groups` becomes "[admin clinician]");
// handlers must cope with that, so the twin reproduces it exactly.
import type { APIGatewayEventRequestContextJWTAuthorizer } from 'aws-lambda';
import type { TokenVerifier } from '../../shared/auth/token-verifier.ts';

export async function jwtAuthorizerContext(
  verifier: TokenVerifier,
  authorizationHeader: string | undefined,
): Promise<APIGatewayEventRequestContextJWTAuthorizer | undefined> {
  if (authorizationHeader === undefined) return undefined;
  const token = authorizationHeader.replace(/^Bearer\s+/i, '').trim();
  if (token.length === 0) return undefined;
  try {
    const { claims } = await verifier.verify(token);
    // No route declares authorization scopes, and API Gateway then passes scopes as null.
    return { jwt: { claims: flattenClaims(claims), scopes: null } };
  } catch {
    return undefined;
  }
}

export function flattenClaims(claims: Record<string, unknown>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined || value === null) continue;
    flat[name] = flattenValue(value);
  }
  return flat;
}

function flattenValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flattenValue).join(' ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
