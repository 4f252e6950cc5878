// The Cognito user pool as Vigil needs it, for the CDK stack and for the local twin.
import { PASSWORD_POLICY } from '../domain/password-policy.ts';
import { ROLES } from '../domain/roles.ts';

export const USER_POOL = {
  name: 'vigil-users',
  clientName: 'vigil-app',
  /** Every role is a Cognito group; the table's user record stays the source of truth. */
  groups: ROLES,
  passwordPolicy: PASSWORD_POLICY,
  /** Access tokens live one hour; refresh tokens thirty days. */
  accessTokenValidityMinutes: 60,
  refreshTokenValidityDays: 30,
} as const;

/** Where a region's user pools issue tokens from; each pool's issuer is a path below it. */
export function cognitoIssuerDomain(region: string, urlSuffix = 'amazonaws.com'): string {
  return `https://cognito-idp.${region}.${urlSuffix}`;
}

/** The issuer of the pool's tokens, and the base of its JWKS: the same for API Gateway and our verifier. */
export function userPoolIssuer(region: string, userPoolId: string, urlSuffix = 'amazonaws.com'): string {
  return `${cognitoIssuerDomain(region, urlSuffix)}/${userPoolId}`;
}
