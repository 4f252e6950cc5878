// The user pool's password policy, checked by us too: the same rule in the API's 400 (naming
// the field) as in Cognito, and enforced locally where cognito-local does not.
import { USER_POOL } from './user-pool-definition.ts';

/** What is wrong with a password, or an empty list when it meets the policy. */
export function passwordProblems(password: string): string[] {
  const policy = USER_POOL.passwordPolicy;
  const problems: string[] = [];
  if (password.length < policy.minLength) problems.push(`at least ${policy.minLength} characters`);
  if (policy.requireLowercase && !/[a-z]/.test(password)) problems.push('a lower-case letter');
  if (policy.requireUppercase && !/[A-Z]/.test(password)) problems.push('an upper-case letter');
  if (policy.requireDigits && !/[0-9]/.test(password)) problems.push('a digit');
  if (policy.requireSymbols && !/[^A-Za-z0-9]/.test(password)) problems.push('a symbol');
  return problems;
}
