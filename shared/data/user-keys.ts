// The keys of a user's profile, their email claim and their organisation (layout in
// user-store.ts). Apart so that the care-team store, whose counters live on profiles, and the
// user store, which enrols a patient onto a care team, both use them without importing each other.
import type { Role } from '../domain/roles.ts';

export const userKeys = {
  profile: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  byOrgRole: (orgId: string, role: Role) => `ORG#${orgId}#ROLE#${role}`,
  ofOrg: (orgId: string) => `ORG#${orgId}#USERS`,
  userSort: (userId: string) => `USER#${userId}`,
  email: (email: string) => ({ pk: `EMAIL#${email.toLowerCase()}`, sk: 'EMAIL' }),
  organisation: (orgId: string) => ({ pk: `ORG#${orgId}`, sk: 'PROFILE' }),
};
