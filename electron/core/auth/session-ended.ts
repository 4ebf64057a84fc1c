import { SESSION_POLICY } from '../../../shared/policy/identity';

const days = (seconds: number): number => Math.round(seconds / 86_400);

/**
 * Service codes that mean the session behind the console's tokens is over: no
 * retry or refresh can bring it back, only signing in again.
 */
export const SESSION_ENDED_CODES = ['session_revoked', 'session_expired', 'invalid_token'] as const;
export type SessionEndedCode = (typeof SESSION_ENDED_CODES)[number];

export const isSessionEndedCode = (code: unknown): code is SessionEndedCode =>
  typeof code === 'string' && (SESSION_ENDED_CODES as readonly string[]).includes(code);

/** What the sign-in screen says about why the user is back there. */
export function sessionEndedReason(code: SessionEndedCode): string {
  switch (code) {
    case 'session_revoked':
      return (
        'Your session was revoked by an administrator, or ended because its sign-in was used from two places at once. ' +
        'Sign in again; if you did not expect this, tell your security team.'
      );
    case 'session_expired':
      return (
        `Your session expired after ${days(SESSION_POLICY.defaultIdleTimeout)} days without use, or reached its ` +
        `${days(SESSION_POLICY.defaultAbsoluteTimeout)}-day limit (your organisation may set shorter limits). Sign in again.`
      );
    case 'invalid_token':
      return 'The service no longer recognises this console’s session (it may have been signed out elsewhere). Sign in again.';
  }
}
