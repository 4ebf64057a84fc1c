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
  /** Bounds a tenant's own limits must stay within. */
  minIdleTimeout: 15 * MINUTE,
  maxAbsoluteTimeout: 90 * DAY,
  /** A destructive action needs an authenticator code entered within this window. */
  stepUpWindow: 5 * MINUTE,
} as const;

export const SIGN_IN_POLICY = {
  /** A password-verified sign-in must finish its second factor within this time. */
  challengeTtl: 5 * MINUTE,
  /** Wrong second-factor codes allowed per challenge before it is spent. */
  challengeMaxAttempts: 5,
  /** Failed sign-ins per account within the window before the account is locked. */
  accountMaxFailures: 5,
  accountFailureWindow: 15 * MINUTE,
  accountLockout: 15 * MINUTE,
  /** Failed sign-ins per client IP within the window before the IP is throttled. */
  ipMaxFailures: 20,
  ipFailureWindow: 15 * MINUTE,
  ipLockout: 15 * MINUTE,
  /** A sign-in that succeeds after this many recent failures on the account is flagged (after_failures). */
  anomalousFailures: 3,
} as const;

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
