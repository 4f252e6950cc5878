// The password policy: the user pool enforces it, and the API checks it first so that a weak
// password is a 400 naming the field, and so that local emulators that skip it cannot let one in.
export const PASSWORD_POLICY = {
  minLength: 12,
  maxLength: 256,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: false,
} as const;

/** What is wrong with a password, or an empty list when it meets the policy. */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_POLICY.minLength) problems.push(`at least ${PASSWORD_POLICY.minLength} characters`);
  if (password.length > PASSWORD_POLICY.maxLength) problems.push(`at most ${PASSWORD_POLICY.maxLength} characters`);
  if (PASSWORD_POLICY.requireLowercase && !/[a-z]/.test(password)) problems.push('a lower-case letter');
  if (PASSWORD_POLICY.requireUppercase && !/[A-Z]/.test(password)) problems.push('an upper-case letter');
  if (PASSWORD_POLICY.requireDigits && !/[0-9]/.test(password)) problems.push('a digit');
  if (PASSWORD_POLICY.requireSymbols && !/[^A-Za-z0-9]/.test(password)) problems.push('a symbol');
  return problems;
}
