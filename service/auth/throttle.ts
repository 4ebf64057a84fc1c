import { createHash } from 'node:crypto';
import { accountSourceLockout, SIGN_IN_POLICY } from '../../shared/policy/identity';
import type { PlatformTx } from '../db/db';
import { ApiError } from '../http/api-error';
import { clientSource } from '../http/client-source';

/**
 * Failed attempts (sign-in, second factor, invite acceptance, step-up) counted per key in the
 * database, so limits hold across restarts and instances. An attempt is reserved before the
 * secret is checked: the reservation counts it as a failure and, when it reaches the limit,
 * locks the key, in one locked row update; a success gives the reservation back. So a parallel
 * burst can't check more secrets than the limit allows, and a crash mid-check counts as a failure.
 * Account keys hash the lowercased email whether or not the user exists: unknown and known emails
 * lock alike. Locks expire by themselves.
 */
export interface ThrottleRule {
  readonly key: string;
  /** What a lock on this key means, for the 429 and the audit event. */
  readonly kind: 'account' | 'ip' | 'invite' | 'step_up' | 'account_seen';
  /** null: the key only counts (for anomaly flags), it never locks. */
  readonly maxFailures: number | null;
  readonly windowSeconds: number;
  /** How long the key locks once it holds `failures` failures (at or past maxFailures). */
  readonly lockoutSeconds: (failures: number) => number;
}

const emailHash = (email: string): string => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

/** One account from one source: locks with a growing wait; other sources of the same account are not affected. */
export const accountSourceRule = (email: string, ip: string): ThrottleRule => ({
  key: `acct-src:${emailHash(email)}:${clientSource(ip)}`,
  kind: 'account',
  maxFailures: SIGN_IN_POLICY.accountMaxFailures,
  windowSeconds: SIGN_IN_POLICY.accountFailureWindow,
  lockoutSeconds: accountSourceLockout,
});

/** One account from every source: counted for the after_failures flag, never locked (anyone could lock anyone). */
export const accountSeenRule = (email: string): ThrottleRule => ({
  key: `account:${emailHash(email)}`,
  kind: 'account_seen',
  maxFailures: null,
  windowSeconds: SIGN_IN_POLICY.anomalyWindow,
  lockoutSeconds: () => 0,
});

/** Every failure from one source, across accounts and invites. */
export const ipRule = (ip: string): ThrottleRule => ({
  key: `ip:${clientSource(ip)}`,
  kind: 'ip',
  maxFailures: SIGN_IN_POLICY.ipMaxFailures,
  windowSeconds: SIGN_IN_POLICY.ipFailureWindow,
  lockoutSeconds: () => SIGN_IN_POLICY.ipLockout,
});

/** One invite token (by its SHA-256, as stored). */
export const inviteRule = (tokenSha256: string): ThrottleRule => ({
  key: `invite:${tokenSha256}`,
  kind: 'invite',
  maxFailures: SIGN_IN_POLICY.inviteMaxFailures,
  windowSeconds: SIGN_IN_POLICY.inviteFailureWindow,
  lockoutSeconds: () => SIGN_IN_POLICY.inviteLockout,
});

/** Wrong step-up codes of one session: its own limit, which sign-in failures never touch. */
export const stepUpRule = (sessionId: string): ThrottleRule => ({
  key: `step-up:${sessionId}`,
  kind: 'step_up',
  maxFailures: SIGN_IN_POLICY.stepUpMaxFailures,
  windowSeconds: SIGN_IN_POLICY.stepUpFailureWindow,
  lockoutSeconds: () => SIGN_IN_POLICY.stepUpLockout,
});

/** The sign-in rules of an email from an address: the pair, the source, and the account-wide count. */
export const signInRules = (email: string, ip: string): ThrottleRule[] => [accountSourceRule(email, ip), ipRule(ip), accountSeenRule(email)];

export interface Reservation {
  readonly held: readonly { readonly rule: ThrottleRule; readonly lockedUntil: string | null }[];
}

export interface Refusal {
  readonly rule: ThrottleRule;
  readonly retryAfter: number;
}

interface ThrottleRow extends Record<string, unknown> {
  key: string;
  failures: number;
  window_started_at: Date | string;
  locked_until: Date | string | null;
}

const iso = (d: Date | string): string => new Date(d).toISOString();
const secondsUntil = (until: Date | string, now: Date): number => Math.ceil((new Date(until).getTime() - now.getTime()) / 1000);

/** Creates (or finds) and row-locks each key's row, in key order so that two reservations never deadlock. */
const lockRows = async (tx: PlatformTx, rules: readonly ThrottleRule[], now: Date): Promise<Map<string, ThrottleRow>> => {
  const rows = new Map<string, ThrottleRow>();
  for (const rule of [...rules].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const row = (
      await tx.query<ThrottleRow>(
        `INSERT INTO sign_in_throttles (key, failures, window_started_at) VALUES ($1, 0, $2)
         ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key
         RETURNING key, failures, window_started_at, locked_until`,
        [rule.key, now.toISOString()],
      )
    )[0];
    if (!row) throw new Error('throttle row vanished');
    rows.set(rule.key, row);
  }
  return rows;
};

/**
 * Reserves one attempt against every rule, or refuses (the first locked rule, in the given order)
 * without counting anything. Call it in its own transaction before checking the secret.
 */
export const reserveAttempt = async (tx: PlatformTx, rules: readonly ThrottleRule[], now: Date): Promise<Reservation | Refusal> => {
  const rows = await lockRows(tx, rules, now);
  for (const rule of rules) {
    const until = rule.maxFailures === null ? null : rows.get(rule.key)?.locked_until;
    if (until && new Date(until) > now) return { rule, retryAfter: secondsUntil(until, now) };
  }
  const held: Reservation['held'][number][] = [];
  for (const rule of rules) {
    const row = rows.get(rule.key);
    if (!row) throw new Error('throttle row vanished');
    const windowOver = now.getTime() - new Date(row.window_started_at).getTime() >= rule.windowSeconds * 1000;
    const failures = (windowOver ? 0 : row.failures) + 1;
    const lock = rule.maxFailures !== null && failures >= rule.maxFailures;
    const lockedUntil = lock ? new Date(now.getTime() + rule.lockoutSeconds(failures) * 1000).toISOString() : null;
    await tx.query('UPDATE sign_in_throttles SET failures = $2, window_started_at = $3, locked_until = $4 WHERE key = $1', [
      rule.key,
      failures,
      windowOver ? now.toISOString() : iso(row.window_started_at),
      lockedUntil,
    ]);
    held.push({ rule, lockedUntil });
  }
  return { held };
};

/** No window is longer than this, nor any lock: older rows without a current lock count nothing. */
const LONGEST_WINDOW_SECONDS = Math.max(
  SIGN_IN_POLICY.accountFailureWindow,
  SIGN_IN_POLICY.ipFailureWindow,
  SIGN_IN_POLICY.inviteFailureWindow,
  SIGN_IN_POLICY.stepUpFailureWindow,
  SIGN_IN_POLICY.anomalyWindow,
);

/** Deletes rows that no longer count (a spray of guesses leaves one row per account and source). */
export const pruneThrottles = async (tx: PlatformTx, now: Date): Promise<void> => {
  await tx.query('DELETE FROM sign_in_throttles WHERE window_started_at < $1 AND (locked_until IS NULL OR locked_until < $2)', [
    new Date(now.getTime() - LONGEST_WINDOW_SECONDS * 1000).toISOString(),
    now.toISOString(),
  ]);
};

export const isRefusal = (r: Reservation | Refusal): r is Refusal => 'retryAfter' in r;

/** The attempt succeeded: its reservation is given back, and a lock it set is lifted. */
export const releaseAttempt = async (tx: PlatformTx, reservation: Reservation): Promise<void> => {
  for (const { rule, lockedUntil } of [...reservation.held].sort((a, b) => (a.rule.key < b.rule.key ? -1 : 1))) {
    await tx.query(
      `UPDATE sign_in_throttles SET failures = GREATEST(failures - 1, 0),
         locked_until = CASE WHEN $2::timestamptz IS NOT NULL AND locked_until = $2::timestamptz THEN NULL ELSE locked_until END
       WHERE key = $1`,
      [rule.key, lockedUntil],
    );
  }
};

/** The rules this (failed) attempt locked, and for how long: each lock is audited once, when it is set. */
export const lockedBy = (reservation: Reservation, now: Date): { rule: ThrottleRule; seconds: number }[] =>
  reservation.held.flatMap(({ rule, lockedUntil }) => (lockedUntil === null ? [] : [{ rule, seconds: secondsUntil(lockedUntil, now) }]));

const REFUSALS: Readonly<Record<ThrottleRule['kind'], { code: 'account_locked' | 'rate_limited'; what: string }>> = {
  account: { code: 'account_locked', what: 'Too many failed sign-ins for this account from this address' },
  account_seen: { code: 'account_locked', what: 'Too many failed sign-ins for this account' },
  ip: { code: 'rate_limited', what: 'Too many failed attempts from this address' },
  invite: { code: 'rate_limited', what: 'Too many failed attempts with this invite' },
  step_up: { code: 'rate_limited', what: 'Too many wrong codes in this session' },
};

/** 429 with Retry-After for a refused attempt. */
export const refusalError = (refusal: Refusal): ApiError => {
  const { code, what } = REFUSALS[refusal.rule.kind];
  const wait = refusal.retryAfter < 90 ? `${Math.max(1, refusal.retryAfter)} second(s)` : `${Math.ceil(refusal.retryAfter / 60)} minute(s)`;
  return new ApiError(429, code, `${what}; try again in ${wait}.`, undefined, { 'retry-after': String(refusal.retryAfter) });
};

/** Seconds until the first of the rules' locks lifts, or null when none is locked (a check only: nothing is counted). */
export const lockedFor = async (tx: PlatformTx, rules: readonly ThrottleRule[], now: Date): Promise<Refusal | null> => {
  for (const rule of rules.filter((r) => r.maxFailures !== null)) {
    const until = (await tx.query<{ locked_until: Date | string | null }>('SELECT locked_until FROM sign_in_throttles WHERE key = $1', [rule.key]))[0]
      ?.locked_until;
    if (until && new Date(until) > now) return { rule, retryAfter: secondsUntil(until, now) };
  }
  return null;
};

export const clearFailures = async (tx: PlatformTx, rules: readonly ThrottleRule[]): Promise<void> => {
  for (const rule of rules) await tx.query('DELETE FROM sign_in_throttles WHERE key = $1', [rule.key]);
};

/** Failures counted against the key in its current window. */
export const recentFailures = async (tx: PlatformTx, rule: ThrottleRule, now: Date): Promise<number> => {
  const row = (await tx.query<ThrottleRow>('SELECT key, failures, window_started_at, locked_until FROM sign_in_throttles WHERE key = $1', [rule.key]))[0];
  if (!row || now.getTime() - new Date(row.window_started_at).getTime() >= rule.windowSeconds * 1000) return 0;
  return row.failures;
};
