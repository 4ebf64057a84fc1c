/**
 * The password policy, shared so the console can explain it before the service
 * enforces it. Length over composition rules (NIST SP 800-63B): at least 12
 * characters, at most 256, and not on the list of common passwords.
 */
export const PASSWORD_POLICY = {
  minLength: 12,
  maxLength: 256,
} as const;

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_email';

/**
 * Checks a candidate password. `isCommon` answers from the list of common
 * passwords the service ships (the console may pass a smaller list or none).
 */
export function checkPassword(password: string, opts: { email?: string; isCommon?: (p: string) => boolean } = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < PASSWORD_POLICY.minLength) problems.push('too_short');
  if (length > PASSWORD_POLICY.maxLength) problems.push('too_long');
  const lower = password.toLowerCase();
  if (opts.isCommon?.(lower)) problems.push('common');
  const local = opts.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) problems.push('contains_email');
  return problems;
}
