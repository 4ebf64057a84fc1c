import type { IpcErrorShape } from '../../../shared/ipc/contract';
import { inviteAdvice } from './acceptInviteModel';

export interface SignInAdvice {
  /** One line: what happened. */
  title: string;
  /** What to do next. */
  next: string;
  /** The step to go back to, when the error means this one cannot continue. */
  restart?: boolean;
  /** Clear the code field: a new code is needed. */
  clearCode?: boolean;
}

/**
 * Sign-in failures mapped to the user's next step. The core's message is kept
 * where it carries specifics (the lockout wait); the rest is said plainly here.
 */
export function signInAdvice(error: IpcErrorShape): SignInAdvice {
  const invite = inviteAdvice(error);
  if (invite) return invite;
  switch (error.code) {
    case 'invalid_credentials':
      return { title: 'Email or password is not right', next: 'Check both and try again. Repeated failures lock the account for a while.' };
    case 'account_locked':
      return { title: 'This account is locked for now', next: error.message };
    case 'rate_limited':
      return { title: 'Too many attempts', next: error.message };
    case 'invalid_mfa_code':
      return { title: 'That code was not accepted', next: 'Enter the current 6-digit code from your authenticator app. Check that your device clock is right.', clearCode: true };
    case 'mfa_code_replayed':
      return { title: 'That code was already used', next: 'Each code works once. Wait for the next code (up to 30 seconds), then enter it.', clearCode: true };
    case 'invalid_recovery_code':
      return { title: 'That recovery code was not accepted', next: 'Each recovery code works once. Check for typos or use another of your codes.', clearCode: true };
    case 'challenge_invalid':
      return { title: 'This sign-in has expired', next: 'Start again with your email and password.', restart: true };
    case 'enrolment_required':
      return { title: 'Set up an authenticator first', next: 'Your organisation requires a second factor. Start again to enrol one.', restart: true };
    case 'service_unreachable':
      return { title: 'The service cannot be reached', next: 'Check your network or VPN, then try again.' };
    case 'certificate_mismatch':
      return { title: 'The service failed the certificate check', next: 'Nothing was sent. Ask your administrator before you continue.' };
    case 'keychain_unavailable':
      return { title: 'The OS keychain is not available', next: error.message };
    case 'bridge_unavailable':
    case 'bridge_not_authorised':
      return { title: 'The console core is not reachable', next: error.message };
    case 'invalid_input':
      return { title: 'Check what you entered', next: error.message };
    default:
      return { title: 'Signing in failed', next: `${error.message} (${error.code})` };
  }
}
