import { describe, expect, it } from 'vitest';
import { tokenBuckets } from './rate-limit';

describe('tokenBuckets', () => {
  it('allows a burst, then one request per refill interval, and says how long to wait', () => {
    let t = 0;
    const take = tokenBuckets({ burst: 3, perSecond: 0.5 }, () => t);
    expect([take('a'), take('a'), take('a')]).toEqual([0, 0, 0]);
    expect(take('a')).toBe(2);
    t += 1000;
    expect(take('a')).toBe(1);
    t += 1000;
    expect(take('a')).toBe(0);
    expect(take('a')).toBe(2);
    // Other keys have their own bucket.
    expect(take('b')).toBe(0);
    // A bucket refills to its burst, never beyond.
    t += 3_600_000;
    expect([take('a'), take('a'), take('a'), take('a')]).toEqual([0, 0, 0, 2]);
  });
  it('forgets the least recently used key when full (memory stays bounded)', () => {
    const take = tokenBuckets({ burst: 1, perSecond: 0.001 }, () => 0, 2);
    expect([take('a'), take('b')]).toEqual([0, 0]);
    expect(take('a')).toBeGreaterThan(0);
    take('c');
    // b was the least recently used: forgotten, so its bucket is full again.
    expect(take('b')).toBe(0);
    expect(take('c')).toBeGreaterThan(0);
  });
});
