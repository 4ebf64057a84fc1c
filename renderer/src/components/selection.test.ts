import { describe, expect, it } from 'vitest';
import { moveSelection } from './selection';
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
