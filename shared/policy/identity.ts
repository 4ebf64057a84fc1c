/**
 * Identity and session policy numbers: declared once, enforced by the service,
 * shown by the console. Durations in seconds.
 */
const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const SESSION_POLICY = {
  /** Access tokens are short-lived; the refresh token renews them. */
  accessTokenTtl: 15 * MINUTE,
  /** Default limits of a tenant's sessions (a tenant may set its own). */
  defaultIdleTimeout: 14 * DAY,
  defaultAbsoluteTimeout: 30 * DAY,
  /** Bounds a tenant's own limits must stay within (SESSION_LIMIT_BOUNDS; the 0005 CHECKs hold the outer ones). */
  minIdleTimeout: 15 * MINUTE,
  maxIdleTimeout: 30 * DAY,
  minAbsoluteTimeout: HOUR,
  maxAbsoluteTimeout: 90 * DAY,
  /** A destructive action needs an authenticator code entered within this window. */
  stepUpWindow: 5 * MINUTE,
} as const;

/** The bounds of a tenant's own session limits, as the settings API reports them (seconds). */
export const SESSION_LIMIT_BOUNDS = {
  idle: { min: SESSION_POLICY.minIdleTimeout, max: SESSION_POLICY.maxIdleTimeout },
  absolute: { min: SESSION_POLICY.minAbsoluteTimeout, max: SESSION_POLICY.maxAbsoluteTimeout },
} as const;

/**
 * What is wrong with a tenant's session limits, field by field (empty when they are
 * within SESSION_LIMIT_BOUNDS and the absolute limit is not shorter than the idle one).
 */
export const sessionLimitProblems = (limits: { idleTimeoutSeconds: number; absoluteTimeoutSeconds: number }): { path: string; message: string }[] => {
  const problems: { path: string; message: string }[] = [];
  const { idle, absolute } = SESSION_LIMIT_BOUNDS;
  if (limits.idleTimeoutSeconds < idle.min || limits.idleTimeoutSeconds > idle.max) {
    problems.push({ path: 'body.idleTimeoutSeconds', message: `The idle limit must be between ${idle.min} and ${idle.max} seconds.` });
  }
  if (limits.absoluteTimeoutSeconds < absolute.min || limits.absoluteTimeoutSeconds > absolute.max) {
    problems.push({ path: 'body.absoluteTimeoutSeconds', message: `The absolute limit must be between ${absolute.min} and ${absolute.max} seconds.` });
  }
  if (limits.absoluteTimeoutSeconds < limits.idleTimeoutSeconds) {
    problems.push({ path: 'body.absoluteTimeoutSeconds', message: 'The absolute limit cannot be shorter than the idle limit.' });
  }
  return problems;
};

export const SIGN_IN_POLICY = {
  /** A password-verified sign-in must finish its second factor within this time. */
  challengeTtl: 5 * MINUTE,
  /** Wrong second-factor codes allowed per challenge before it is spent. */
  challengeMaxAttempts: 5,
  /**
   * Failed sign-ins of one account from one source (an IPv4 address or an IPv6 /64) before that
   * source waits: the failure that reaches the limit locks the pair for accountLockout, and each
   * further failure (one per lock) doubles the wait, up to accountMaxLockout. Other sources are not
   * affected, so a stranger's guesses never lock the owner out. The count is forgotten after
   * accountFailureWindow (counted from the first failure) and on a successful sign-in.
   */
  accountMaxFailures: 5,
  accountFailureWindow: 24 * HOUR,
  accountLockout: MINUTE,
  accountMaxLockout: HOUR,
  /** Failed sign-ins and invite acceptances per source within the window before the source is throttled. */
  ipMaxFailures: 20,
  ipFailureWindow: 15 * MINUTE,
  ipLockout: 15 * MINUTE,
  /** Failed acceptances of one invite token within the window before the token is locked. */
  inviteMaxFailures: 5,
  inviteFailureWindow: 15 * MINUTE,
  inviteLockout: 15 * MINUTE,
  /** Wrong step-up codes per session within the window before that session's step-up waits (sign-in locks never block it). */
  stepUpMaxFailures: 5,
  stepUpFailureWindow: 15 * MINUTE,
  stepUpLockout: 15 * MINUTE,
  /** A sign-in that succeeds after this many recent failures on the account (from any source, within anomalyWindow) is flagged (after_failures). */
  anomalousFailures: 3,
  anomalyWindow: 15 * MINUTE,
} as const;

/** How long a source waits after its `failures`-th consecutive failed sign-in of one account (0 below the limit). */
export const accountSourceLockout = (failures: number): number => {
  const excess = failures - SIGN_IN_POLICY.accountMaxFailures;
  if (excess < 0) return 0;
  return Math.min(SIGN_IN_POLICY.accountLockout * 2 ** Math.min(excess, 30), SIGN_IN_POLICY.accountMaxLockout);
};

export const TOTP_POLICY = {
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  /** Codes one step before or after the current one are accepted (clock drift). */
  toleranceSteps: 1,
  recoveryCodeCount: 10,
  issuer: 'Attest',
} as const;

/** The session limits that apply to a user: the strictest of their tenants' (platform defaults when none). */
export function effectiveSessionLimits(
  tenantLimits: readonly { idleTimeout: number; absoluteTimeout: number }[],
): { idleTimeout: number; absoluteTimeout: number } {
  return tenantLimits.reduce(
    (acc, t) => ({ idleTimeout: Math.min(acc.idleTimeout, t.idleTimeout), absoluteTimeout: Math.min(acc.absoluteTimeout, t.absoluteTimeout) }),
    { idleTimeout: SESSION_POLICY.defaultIdleTimeout, absoluteTimeout: SESSION_POLICY.defaultAbsoluteTimeout },
  );
}
