import { describe, expect, it } from 'vitest';
import { isRefill, keyRowsBy } from './rowKeys';

describe('keyRowsBy', () => {
  it('keeps each row its own key while the view scrolls a little, so rows still in view are left alone', () => {
    expect(keyRowsBy({ first: 100, last: 130 }, { first: 102, last: 132 }, false)).toBe('row');
    expect(keyRowsBy({ first: 100, last: 130 }, { first: 95, last: 125 }, false)).toBe('row');
  });

  it('keys rows by their place once fewer than half of them stay in view (a fast drag over a short list)', () => {
    // 31 rows shown, 21 moved: 10 stay, so 21 would be built and 21 removed; filling all 31 costs less.
    expect(keyRowsBy({ first: 100, last: 130 }, { first: 121, last: 151 }, false)).toBe('place');
    expect(keyRowsBy({ first: 121, last: 151 }, { first: 100, last: 130 }, false)).toBe('place');
    // 16 of 31 stay: still a scroll.
    expect(keyRowsBy({ first: 100, last: 130 }, { first: 115, last: 145 }, false)).toBe('row');
    expect(keyRowsBy({ first: 100, last: 130 }, { first: 121, last: 151 }, true)).toBe('row');
  });

  it('keys rows by their place after a jump with no row in common, in either direction', () => {
    expect(keyRowsBy({ first: 100, last: 130 }, { first: 40_000, last: 40_030 }, false)).toBe('place');
    expect(keyRowsBy({ first: 40_000, last: 40_030 }, { first: 131, last: 161 }, false)).toBe('place');
  });

  it('never reuses rows while focus is in one: the focused control must keep standing for its row', () => {
    expect(keyRowsBy({ first: 100, last: 130 }, { first: 40_000, last: 40_030 }, true)).toBe('row');
  });

  it('keeps the keys of the same range (a page arrived, a row selected), even with focus now in a row', () => {
    expect(keyRowsBy({ first: 40_000, last: 40_030, by: 'place' }, { first: 40_000, last: 40_030 }, true)).toBe('place');
    expect(keyRowsBy({ first: 40_000, last: 40_030, by: 'row' }, { first: 40_000, last: 40_030 }, false)).toBe('row');
  });

  it('keys by row on the first render and for an empty table', () => {
    expect(keyRowsBy(null, { first: 0, last: 30 }, false)).toBe('row');
    expect(keyRowsBy({ first: 0, last: -1 }, { first: 0, last: 30 }, false)).toBe('row');
    expect(keyRowsBy({ first: 0, last: 30 }, { first: 0, last: -1 }, false)).toBe('row');
  });
});

describe('isRefill', () => {
  it('is a move that refills the rows in place: a jump with no row in common, or a fling that keeps fewer than half', () => {
    expect(isRefill({ first: 100, last: 130 }, { first: 40_000, last: 40_030 }, 'place')).toBe(true);
    expect(isRefill({ first: 40_000, last: 40_030 }, { first: 100, last: 130 }, 'place')).toBe(true);
    // 10 of 31 rows stay (a drag over a list of 5,000: 21 new rows a frame).
    expect(isRefill({ first: 100, last: 130 }, { first: 121, last: 151 }, 'place')).toBe(true);
  });

  it('is not a first render, the same range again (a page arrived, the rest), or a move that keeps rows their own keys', () => {
    expect(isRefill(null, { first: 40_000, last: 40_030 }, 'place')).toBe(false);
    expect(isRefill({ first: -1, last: -1 }, { first: 0, last: 30 }, 'place')).toBe(false);
    expect(isRefill({ first: 40_000, last: 40_030, by: 'place' }, { first: 40_000, last: 40_030 }, 'place')).toBe(false);
    // A wheel scroll, or any move with focus in a row: keyed by row, every cell shown.
    expect(isRefill({ first: 100, last: 130 }, { first: 103, last: 133 }, 'row')).toBe(false);
    expect(isRefill({ first: 100, last: 130 }, { first: 40_000, last: 40_030 }, 'row')).toBe(false);
  });
});
