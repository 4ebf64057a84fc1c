export const SELECTION_KEYS = ['ArrowDown', 'ArrowUp', 'Home', 'End', 'PageDown', 'PageUp'] as const;
export type SelectionKey = (typeof SELECTION_KEYS)[number];

export const isSelectionKey = (key: string): key is SelectionKey => (SELECTION_KEYS as readonly string[]).includes(key);

/** The row index a key press selects among `count` rows, from `current` (null: none selected). */
export const moveIndex = (count: number, current: number | null, key: SelectionKey, pageSize: number): number | null => {
  if (count === 0) return null;
  const last = count - 1;
  if (current === null || current < 0 || current > last) return key === 'End' ? last : 0;
  const step = Math.max(1, pageSize);
  const target = {
    ArrowDown: current + 1,
    ArrowUp: current - 1,
    Home: 0,
    End: last,
    PageDown: current + step,
    PageUp: current - step,
  }[key];
  return Math.min(last, Math.max(0, target));
};

/** The row a key press selects, given the visible rows in order. */
export const moveSelection = (keys: readonly string[], current: string | null, key: SelectionKey, pageSize: number): string | null => {
  const index = moveIndex(keys.length, current === null ? null : keys.indexOf(current), key, pageSize);
  return index === null ? null : (keys[index] ?? null);
};
