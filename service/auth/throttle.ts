import { createHash } from 'node:crypto';
import { SIGN_IN_POLICY } from '../../shared/policy/identity';
import type { PlatformTx } from '../db/db';

/**
 * Failed sign-in counting per account and per client IP, in the database (so it
 * holds across restarts and instances). An account key is a hash of the
 * lowercased email, whether or not the user exists: unknown and known emails
 * lock alike, so locking reveals nothing. Locks expire by themselves.
 */
export interface ThrottleRule {
  readonly key: string;
  readonly maxFailures: number;
  readonly windowSeconds: number;
  readonly lockoutSeconds: number;
}

export const accountRule = (email: string): ThrottleRule => ({
  key: `account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`,
  maxFailures: SIGN_IN_POLICY.accountMaxFailures,
  windowSeconds: SIGN_IN_POLICY.accountFailureWindow,
  lockoutSeconds: SIGN_IN_POLICY.accountLockout,
});

export const ipRule = (ip: string): ThrottleRule => ({
  key: `ip:${ip}`,
  maxFailures: SIGN_IN_POLICY.ipMaxFailures,
  windowSeconds: SIGN_IN_POLICY.ipFailureWindow,
  lockoutSeconds: SIGN_IN_POLICY.ipLockout,
});

/** Seconds until the lock lifts, or null when not locked. */
export const lockedFor = async (tx: PlatformTx, rule: ThrottleRule, now: Date): Promise<number | null> => {
  const rows = await tx.query<{ locked_until: Date | string | null }>('SELECT locked_until FROM sign_in_throttles WHERE key = $1', [rule.key]);
  const until = rows[0]?.locked_until;
  if (!until) return null;
  const ms = new Date(until).getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : null;
};

/** Counts a failure; returns true when this failure locked the key. */
export const recordFailure = async (tx: PlatformTx, rule: ThrottleRule, now: Date): Promise<boolean> => {
  await tx.query('INSERT INTO sign_in_throttles (key, failures, window_started_at) VALUES ($1, 0, $2) ON CONFLICT (key) DO NOTHING', [
    rule.key,
    now.toISOString(),
  ]);
  const row = (
    await tx.query<{ failures: number; window_started_at: Date | string; locked_until: Date | string | null }>(
      'SELECT failures, window_started_at, locked_until FROM sign_in_throttles WHERE key = $1 FOR UPDATE',
      [rule.key],
    )
  )[0];
  if (!row) throw new Error('throttle row vanished');
  const lockedUntil = row.locked_until ? new Date(row.locked_until) : null;
  if (lockedUntil && lockedUntil > now) return false;
  const windowOver = now.getTime() - new Date(row.window_started_at).getTime() >= rule.windowSeconds * 1000 || lockedUntil !== null;
  const failures = windowOver ? 1 : row.failures + 1;
  const lock = failures >= rule.maxFailures;
  await tx.query('UPDATE sign_in_throttles SET failures = $2, window_started_at = $3, locked_until = $4 WHERE key = $1', [
    rule.key,
    lock ? 0 : failures,
    windowOver ? now.toISOString() : new Date(row.window_started_at).toISOString(),
    lock ? new Date(now.getTime() + rule.lockoutSeconds * 1000).toISOString() : null,
  ]);
  return lock;
};

export const clearFailures = async (tx: PlatformTx, rule: ThrottleRule): Promise<void> => {
  await tx.query('DELETE FROM sign_in_throttles WHERE key = $1', [rule.key]);
};

/** Failures counted against the key in its current window; a lock (which resets the count) counts as the maximum. */
export const recentFailures = async (tx: PlatformTx, rule: ThrottleRule): Promise<number> => {
  const row = (await tx.query<{ failures: number; locked_until: Date | string | null }>('SELECT failures, locked_until FROM sign_in_throttles WHERE key = $1', [rule.key]))[0];
  if (!row) return 0;
  return row.locked_until ? Math.max(row.failures, rule.maxFailures) : row.failures;
};
