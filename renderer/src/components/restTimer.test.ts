import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRestTimer } from './restTimer';

describe('the rest timer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a drag poking every frame keeps one timer, and rests once, restMs after the last poke', () => {
    const rested = vi.fn();
    const rest = createRestTimer(rested, 120, () => Date.now());
    for (let frame = 0; frame < 300; frame += 1) {
      rest.poke();
      expect(vi.getTimerCount()).toBe(1);
      vi.advanceTimersByTime(16);
    }
    expect(rested).not.toHaveBeenCalled();
    vi.advanceTimersByTime(103);
    expect(rested).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(rested).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(rested).toHaveBeenCalledTimes(1);
  });

  it('cancelled (the table went away), it never rests', () => {
    const rested = vi.fn();
    const rest = createRestTimer(rested, 120, () => Date.now());
    rest.poke();
    rest.cancel();
    vi.advanceTimersByTime(1_000);
    expect(rested).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a clock set back an hour after a poke rests one rest later, not an hour later', () => {
    let clock = 1_000_000;
    const rested = vi.fn();
    const rest = createRestTimer(rested, 120, () => clock);
    rest.poke();
    clock -= 3_600_000;
    vi.advanceTimersByTime(120);
    expect(rested).not.toHaveBeenCalled();
    clock += 120;
    vi.advanceTimersByTime(120);
    expect(rested).toHaveBeenCalledTimes(1);
  });
});
