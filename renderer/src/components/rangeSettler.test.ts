import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRangeSettler } from './rangeSettler';

describe('the range settler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports the first range and ranges that overlap the last at once', () => {
    const load = vi.fn();
    const settler = createRangeSettler(load, 100);
    settler.report(0, 40);
    settler.report(10, 50);
    settler.report(50, 90);
    expect(load.mock.calls).toEqual([
      [0, 40],
      [10, 50],
      [50, 90],
    ]);
  });

  it('holds a jump until the view rests, then reports only where it stopped', () => {
    const load = vi.fn();
    const settler = createRangeSettler(load, 100);
    settler.report(0, 40);
    settler.report(4_000, 4_040);
    vi.advanceTimersByTime(60);
    settler.report(8_000, 8_040);
    vi.advanceTimersByTime(99);
    expect(load).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(load.mock.calls).toEqual([
      [0, 40],
      [8_000, 8_040],
    ]);
  });

  it('drops a held jump when an overlapping range goes out first, and on cancel', () => {
    const load = vi.fn();
    const settler = createRangeSettler(load, 100);
    settler.report(0, 40);
    settler.report(4_000, 4_040);
    settler.report(30, 70);
    settler.report(9_000, 9_040);
    settler.cancel();
    vi.advanceTimersByTime(500);
    expect(load.mock.calls).toEqual([
      [0, 40],
      [30, 70],
    ]);
  });
});
