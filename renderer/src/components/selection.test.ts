import { describe, expect, it } from 'vitest';
import { moveIndex, moveSelection } from './selection';
import { ariaSort, nextSort } from './sorting';

const KEYS = ['a', 'b', 'c', 'd', 'e'];

describe('moveSelection', () => {
  it('moves one row with the arrows and stops at the ends', () => {
    expect(moveSelection(KEYS, 'b', 'ArrowDown', 3)).toBe('c');
    expect(moveSelection(KEYS, 'b', 'ArrowUp', 3)).toBe('a');
    expect(moveSelection(KEYS, 'a', 'ArrowUp', 3)).toBe('a');
    expect(moveSelection(KEYS, 'e', 'ArrowDown', 3)).toBe('e');
  });

  it('jumps a page or to either end', () => {
    expect(moveSelection(KEYS, 'a', 'PageDown', 3)).toBe('d');
    expect(moveSelection(KEYS, 'd', 'PageDown', 3)).toBe('e');
    expect(moveSelection(KEYS, 'b', 'PageUp', 3)).toBe('a');
    expect(moveSelection(KEYS, 'c', 'Home', 3)).toBe('a');
    expect(moveSelection(KEYS, 'c', 'End', 3)).toBe('e');
  });

  it('starts from the first row (or the last, for End) when nothing visible is selected', () => {
    expect(moveSelection(KEYS, null, 'ArrowDown', 3)).toBe('a');
    expect(moveSelection(KEYS, 'gone', 'ArrowUp', 3)).toBe('a');
    expect(moveSelection(KEYS, null, 'End', 3)).toBe('e');
  });

  it('selects nothing in an empty table', () => {
    expect(moveSelection([], null, 'ArrowDown', 3)).toBeNull();
  });
});

describe('nextSort', () => {
  it('flips the sorted column and starts another at its natural direction', () => {
    expect(nextSort({ key: 'name', direction: 'asc' }, 'name')).toEqual({ key: 'name', direction: 'desc' });
    expect(nextSort({ key: 'name', direction: 'desc' }, 'name')).toEqual({ key: 'name', direction: 'asc' });
    expect(nextSort({ key: 'name', direction: 'asc' }, 'createdAt', 'desc')).toEqual({ key: 'createdAt', direction: 'desc' });
  });

  it('describes the sort for aria-sort', () => {
    expect(ariaSort({ key: 'name', direction: 'asc' }, 'name')).toBe('ascending');
    expect(ariaSort({ key: 'name', direction: 'desc' }, 'name')).toBe('descending');
    expect(ariaSort({ key: 'name', direction: 'asc' }, 'plan')).toBe('none');
    expect(ariaSort(null, 'plan')).toBe('none');
  });
});

describe('moveIndex', () => {
  it('moves by index among rows that need not be loaded yet', () => {
    expect(moveIndex(100_000, 41_999, 'ArrowDown', 20)).toBe(42_000);
    expect(moveIndex(100_000, 99_990, 'PageDown', 20)).toBe(99_999);
    expect(moveIndex(100_000, 10, 'PageUp', 20)).toBe(0);
    expect(moveIndex(100_000, 5, 'End', 20)).toBe(99_999);
  });

  it('starts from the first row, or the last for End, when nothing (or a row past the end) is selected', () => {
    expect(moveIndex(3, null, 'ArrowUp', 5)).toBe(0);
    expect(moveIndex(3, null, 'End', 5)).toBe(2);
    expect(moveIndex(3, 7, 'ArrowDown', 5)).toBe(0);
    expect(moveIndex(0, null, 'ArrowDown', 5)).toBeNull();
  });
});
