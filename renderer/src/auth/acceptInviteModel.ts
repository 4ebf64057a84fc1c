import { InviteTokenSchema } from '../../../shared/identity/members';
import { EmailSchema } from '../../../shared/identity/schemas';
import type { IpcErrorShape } from '../../../shared/ipc/contract';
import { checkPassword, PASSWORD_POLICY, type PasswordProblem } from '../../../shared/policy/password';

/** What is wrong with a pasted token, said plainly; null when it has the shape of one. */
export const inviteTokenProblem = (token: string): string | null => {
  const t = token.trim();
  if (t === '') return null;
  if (InviteTokenSchema.safeParse(t).success) return null;
  return t.startsWith('atst_inv_') ? 'The token looks cut short: copy all of it.' : 'An invitation token starts with atst_inv_.';
};

const PROBLEM_TEXT: Record<PasswordProblem, string> = {
  too_short: `At least ${PASSWORD_POLICY.minLength} characters; a few unrelated words are easy to remember.`,
  too_long: `At most ${PASSWORD_POLICY.maxLength} characters.`,
  common: 'It is on the list of common passwords; choose another.',
  contains_email: 'It contains your email address; choose something else.',
};

export interface NewPasswordAdvice {
  /** Shown under the field while typing: what the policy still asks for. */
  problems: string[];
  /** The confirmation differs (only said once something is typed there). */
  mismatch: boolean;
  ready: boolean;
}

/** The password policy's advice for a new password, as the service will check it (except the common-password list, which only the service holds). */
export const newPasswordAdvice = (password: string, confirm: string, email: string): NewPasswordAdvice => {
  const problems = password === '' ? [] : checkPassword(password, { email }).map((p) => PROBLEM_TEXT[p]);
  const mismatch = confirm !== '' && confirm !== password;
  return { problems, mismatch, ready: password !== '' && problems.length === 0 && confirm === password };
};

export const acceptFormReady = (f: { token: string; email: string; password: string; confirm: string }): boolean =>
  InviteTokenSchema.safeParse(f.token.trim()).success && EmailSchema.safeParse(f.email.trim()).success && newPasswordAdvice(f.password, f.confirm, f.email.trim()).ready;

/**
 * Invitation failures as what happened and what to do next; null for codes that are not
 * about invitations. `signedIn`: accepting from the account menu, where enrolment_required
 * means this session began without the authenticator (on the sign-in screen it means enrol).
 */
export function inviteAdvice(error: IpcErrorShape, where: { signedIn?: boolean } = {}): { title: string; next: string } | null {
  if (error.code === 'enrolment_required' && where.signedIn) {
    return { title: 'Sign in again with your authenticator first', next: 'Accepting needs a session begun with your authenticator code. Sign out, sign in with your code, and accept again.' };
  }
  switch (error.code) {
    case 'invite_invalid':
      return { title: 'This invitation token is not valid', next: 'Check that you pasted all of it. If it still fails, ask whoever invited you for a new one.' };
    case 'invite_expired':
      return { title: 'This invitation has expired', next: 'Invitations work for 72 hours. Ask whoever invited you for a new one.' };
    case 'invite_used':
      return { title: 'This invitation was already used', next: 'Sign in with the email and password you set when you accepted it.' };
    case 'auth_required':
      return {
        title: 'This invitation is for an existing account',
        next: 'Sign in as that person first (password and authenticator code), then choose “Accept invitation” in the account menu at the top right.',
      };
    case 'invite_other_account':
      return { title: 'This invitation is for someone else', next: 'Sign out, then accept it as the person it was sent to.' };
    case 'password_policy':
      return {
        title: 'The password does not meet the policy',
        next: `Use at least ${PASSWORD_POLICY.minLength} characters, not a common password and not your email address.`,
      };
    case 'tenant_suspended':
      return {
        title: 'This tenant is suspended',
        next: 'The invitation was not used: it still works once the tenant is reinstated, until it expires. Ask whoever invited you.',
      };
    case 'invite_accepted_sign_in_failed':
      return { title: 'Invitation accepted; signing in failed', next: error.message };
    default:
      return null;
  }
}
