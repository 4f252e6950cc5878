// Reading JWT claims as they reach a Lambda. API Gateway's HTTP API JWT authorizer passes
// every claim as a string and flattens arrays to "[a b]"; a Lambda authorizer's context and
// a directly verified token keep real arrays. Code must accept both forms.

export type RawClaims = Record<string, unknown>;

/** `cognito:groups` as a list, whether it arrives as ['a','b'], "[a b]", "a" or not at all. */
export function readGroupsClaim(claims: RawClaims): string[] {
  const value = claims['cognito:groups'];
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string');
  if (typeof value !== 'string') return [];
  const trimmed = value.trim();
  const inner = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  return inner.split(/[\s,]+/).filter((group) => group.length > 0);
}

/** The verified subject; the only identity we take from a token. */
export function readSubjectClaim(claims: RawClaims): string | undefined {
  const sub = claims['sub'];
  return typeof sub === 'string' && sub.length > 0 ? sub : undefined;
}
