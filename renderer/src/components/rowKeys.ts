import { useLayoutEffect, useRef } from 'react';

export type RowKeying = 'row' | 'place';

export interface ShownRange {
  readonly first: number;
  readonly last: number;
  /** How the rows of this range were keyed. */
  readonly by?: RowKeying;
}

/**
 * How a virtualized table keys its rows for the range it is about to show, given the range it
 * showed last. Scrolled a little (at least half the rows stay in view), each row keeps a key of
 * its own, so the rows that stay are left alone and only the new ones mount. Jumped (a scrollbar
 * dragged across thousands of rows, a fast drag over a short list, Page Down), rows are keyed by
 * their place in the view, so the rows already in the page take the new rows' content instead of
 * most of them being removed and as many built again: filling a row costs less than building one.
 * Not when the range moves while focus is inside a row: the focused control would then stand for
 * another row than the one it was focused in. The same range again (a page of rows arrived, a row
 * was selected) keeps its keys, so nothing is built again and a control focused since keeps its row.
 */
export const keyRowsBy = (before: ShownRange | null, next: ShownRange, focusInRow: boolean): RowKeying => {
  if (before !== null && before.first === next.first && before.last === next.last) return before.by ?? 'row';
  if (before === null || before.last < 0 || next.last < 0 || focusInRow) return 'row';
  const shared = Math.max(0, Math.min(before.last, next.last) - Math.max(before.first, next.first) + 1);
  return shared * 2 >= next.last - next.first + 1 ? 'row' : 'place';
};

/**
 * The view moved so far that its rows are refilled in place (fewer than half stay in view: a
 * scrollbar drag, a fling): more new rows than anyone can read in a frame. The grid shows them at a
 * glance until the view rests.
 */
export const isRefill = (before: ShownRange | null, next: ShownRange, by: RowKeying): boolean =>
  by === 'place' && before !== null && before.last >= 0 && (before.first !== next.first || before.last !== next.last);

export interface RowKeys {
  key(index: number): string;
  /** This render refilled the rows in place (isRefill). */
  refilled: boolean;
}

/** The key of each row index for the range shown now (keyRowsBy); `focusInRow` is asked once per render. */
export const useRowKeys = (first: number, last: number, focusInRow: () => boolean): RowKeys => {
  const shown = useRef<ShownRange | null>(null);
  // eslint-disable-next-line react-hooks/refs -- the range committed last is what this render is compared with
  const before = shown.current;
  const by = keyRowsBy(before, { first, last }, focusInRow());
  useLayoutEffect(() => {
    shown.current = { first, last, by };
  });
  return {
    key: by === 'place' ? (index) => `place-${index - first}` : (index) => `row-${index}`,
    refilled: isRefill(before, { first, last }, by),
  };
};
