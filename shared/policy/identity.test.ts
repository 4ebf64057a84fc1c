import { describe, expect, it } from 'vitest';
import { accountSourceLockout, SESSION_LIMIT_BOUNDS, SESSION_POLICY, sessionLimitProblems, SIGN_IN_POLICY } from './identity';

describe('SESSION_LIMIT_BOUNDS', () => {
  it('hold the defaults, stay within the database CHECKs (idle >= 900 s, absolute <= 90 days) and let absolute cover idle', () => {
    const { idle, absolute } = SESSION_LIMIT_BOUNDS;
    expect(idle.min).toBeGreaterThanOrEqual(900);
    expect(absolute.max).toBeLessThanOrEqual(7_776_000);
    expect(idle.min).toBeLessThanOrEqual(absolute.min);
    expect(idle.max).toBeLessThanOrEqual(absolute.max);
    const defaults = { idleTimeoutSeconds: SESSION_POLICY.defaultIdleTimeout, absoluteTimeoutSeconds: SESSION_POLICY.defaultAbsoluteTimeout };
    expect(sessionLimitProblems(defaults)).toEqual([]);
  });
  it('names each field out of bounds, and an absolute limit shorter than the idle one', () => {
    const { idle, absolute } = SESSION_LIMIT_BOUNDS;
    expect(sessionLimitProblems({ idleTimeoutSeconds: idle.min, absoluteTimeoutSeconds: absolute.max })).toEqual([]);
    expect(sessionLimitProblems({ idleTimeoutSeconds: idle.min - 1, absoluteTimeoutSeconds: absolute.max + 1 }).map((p) => p.path)).toEqual([
      'body.idleTimeoutSeconds',
      'body.absoluteTimeoutSeconds',
    ]);
    expect(sessionLimitProblems({ idleTimeoutSeconds: idle.max, absoluteTimeoutSeconds: absolute.min }).map((p) => p.path)).toEqual(['body.absoluteTimeoutSeconds']);
  });
});

describe('SIGN_IN_POLICY', () => {
  it('waits nothing below the limit, then doubles the wait per further failure up to the cap', () => {
    const max = SIGN_IN_POLICY.accountMaxFailures;
    expect(accountSourceLockout(1)).toBe(0);
    expect(accountSourceLockout(max - 1)).toBe(0);
    expect([max, max + 1, max + 2, max + 3].map(accountSourceLockout)).toEqual([60, 120, 240, 480]);
    expect(accountSourceLockout(max + 6)).toBe(3600);
    expect(accountSourceLockout(max + 1000)).toBe(SIGN_IN_POLICY.accountMaxLockout);
  });
  it('keeps the per-source account limit below the address limit, and step-up and invites within sign-in’s', () => {
    expect(SIGN_IN_POLICY.accountMaxFailures).toBeLessThan(SIGN_IN_POLICY.ipMaxFailures);
    expect(SIGN_IN_POLICY.inviteMaxFailures).toBeLessThanOrEqual(SIGN_IN_POLICY.accountMaxFailures);
    expect(SIGN_IN_POLICY.stepUpMaxFailures).toBeLessThanOrEqual(SIGN_IN_POLICY.accountMaxFailures);
    expect(SIGN_IN_POLICY.accountLockout).toBeLessThanOrEqual(SIGN_IN_POLICY.accountMaxLockout);
    // A source that keeps guessing one account gets a handful of tries an hour, not a fresh five.
    expect(SIGN_IN_POLICY.accountFailureWindow).toBeGreaterThan(SIGN_IN_POLICY.accountMaxLockout);
  });
});
