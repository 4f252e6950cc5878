// The Cognito user pool as Vigil needs it, for the CDK stack and for cognito-local.

export const ROLES = ['admin', 'clinician', 'patient', 'caregiver'] as const;
export type Role = (typeof ROLES)[number];

export const USER_POOL = {
  name: 'vigil-users',
  clientName: 'vigil-app',
  /** Every role is a Cognito group; the table's user record stays the source of truth. */
  groups: ROLES,
  passwordPolicy: {
    minLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: false,
  },
  /** Access tokens live one hour; refresh tokens thirty days. */
  accessTokenValidityMinutes: 60,
  refreshTokenValidityDays: 30,
} as const;
