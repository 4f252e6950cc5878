// Identifiers and addresses as the system stores them.
import { z } from 'zod';

/** Ids we mint are UUIDs (Cognito's `sub` is one too); anything else is refused. */
export const Id = z.uuid();

/** Stored lower-case, so one address is one account however it was typed. */
export const Email = z
  .email()
  .max(254)
  .transform((email) => email.toLowerCase());
