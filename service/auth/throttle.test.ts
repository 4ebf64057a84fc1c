import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_POLICY } from '../../shared/policy/identity';
import { openTestDatabase, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { accountSeenRule, inviteRule, isRefusal, pruneThrottles, releaseAttempt, reserveAttempt, type Reservation, type ThrottleRule } from './throttle';

const MINUTE = 60_000;

describe.each(TEST_ENGINES)('attempt reservations on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t.dispose();
  });
  const at = (minutes: number) => new Date(Date.UTC(2026, 5, 1) + minutes * MINUTE);
  const reserve = (rules: ThrottleRule[], now: Date) => t.db.platform((tx) => reserveAttempt(tx, rules, now));
  const keys = async () => (await t.engine.query<{ key: string }>('SELECT key FROM sign_in_throttles ORDER BY key')).map((r) => r.key);

  it('counts each reservation, locks at the limit, and gives a lock back when the attempt that set it succeeds', async () => {
    const rule = inviteRule('a'.repeat(64));
    const held: Reservation[] = [];
    for (let i = 0; i < SIGN_IN_POLICY.inviteMaxFailures; i += 1) {
      const r = await reserve([rule], at(0));
      if (isRefusal(r)) throw new Error('refused too early');
      held.push(r);
    }
    expect(await reserve([rule], at(1))).toMatchObject({ retryAfter: SIGN_IN_POLICY.inviteLockout - 60 });
    const last = held.at(-1);
    if (!last) throw new Error('nothing held');
    await t.db.platform((tx) => releaseAttempt(tx, last));
    expect(isRefusal(await reserve([rule], at(1)))).toBe(false);
  });

  it('never locks on a count-only rule, however many failures it holds', async () => {
    const rule = accountSeenRule('counted@example.com');
    for (let i = 0; i < 50; i += 1) expect(isRefusal(await reserve([rule], at(0)))).toBe(false);
  });

  it('prunes rows whose window is over and that hold no current lock', async () => {
    await t.engine.query('DELETE FROM sign_in_throttles');
    await reserve([inviteRule('b'.repeat(64))], at(0));
    await reserve([accountSeenRule('old@example.com')], at(0));
    await reserve([accountSeenRule('new@example.com')], at(24 * 60));
    await t.db.platform((tx) => pruneThrottles(tx, at(24 * 60 + 1)));
    expect(await keys()).toEqual([accountSeenRule('new@example.com').key]);
  });
});
