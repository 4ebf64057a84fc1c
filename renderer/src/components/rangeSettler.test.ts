import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRangeSettler } from './rangeSettler';

describe('the range settler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports the first range and ranges that overlap the last at once', () => {
    const load = vi.fn();
    const settler = createRangeSettler(load, 100, () => Date.now());
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
    const settler = createRangeSettler(load, 100, () => Date.now());
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
    const settler = createRangeSettler(load, 100, () => Date.now());
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

  it('a drag that jumps on every frame keeps one timer, and reports where it stopped once it rests', () => {
    const load = vi.fn();
    const settler = createRangeSettler(load, 100, () => Date.now());
    settler.report(0, 40);
    for (let frame = 1; frame <= 600; frame += 1) {
      settler.report(frame * 150, frame * 150 + 40);
      expect(vi.getTimerCount()).toBe(1);
      vi.advanceTimersByTime(16);
    }
    expect(load).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(83);
    expect(load).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(load.mock.calls).toEqual([
      [0, 40],
      [90_000, 90_040],
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a clock set back while a jump is held still reports it, one full rest later at most', () => {
    let setBack = 0;
    const load = vi.fn();
    const settler = createRangeSettler(load, 100, () => Date.now() - setBack);
    settler.report(0, 40);
    settler.report(4_000, 4_040);
    setBack = 3_600_000;
    vi.advanceTimersByTime(100);
    expect(load).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(99);
    expect(load).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(load.mock.calls).toEqual([
      [0, 40],
      [4_000, 4_040],
    ]);
  });
});
