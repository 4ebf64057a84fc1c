export const SELECTION_KEYS = ['ArrowDown', 'ArrowUp', 'Home', 'End', 'PageDown', 'PageUp'] as const;
export type SelectionKey = (typeof SELECTION_KEYS)[number];

export const isSelectionKey = (key: string): key is SelectionKey => (SELECTION_KEYS as readonly string[]).includes(key);

/** The row a key press selects, given the visible rows in order. */
export const moveSelection = (
  keys: readonly string[],
  current: string | null,
  key: SelectionKey,
  pageSize: number,
): string | null => {
  if (keys.length === 0) return null;
  const last = keys.length - 1;
  const index = current === null ? -1 : keys.indexOf(current);
  const clamp = (i: number) => Math.min(last, Math.max(0, i));
  if (index === -1) return keys[key === 'End' ? last : 0] ?? null;
  const step = Math.max(1, pageSize);
  const target = {
    ArrowDown: index + 1,
    ArrowUp: index - 1,
    Home: 0,
    End: last,
    PageDown: index + step,
    PageUp: index - step,
  }[key];
  return keys[clamp(target)] ?? null;
};
