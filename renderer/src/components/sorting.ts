export type SortDirection = 'asc' | 'desc';

export interface SortState<K extends string = string> {
  key: K;
  direction: SortDirection;
}

/** Clicking the sorted column flips it; another column starts at its natural direction. */
export const nextSort = <K extends string>(
  current: SortState<K> | null,
  key: K,
  initialDirection: SortDirection = 'asc',
): SortState<K> =>
  current?.key === key
    ? { key, direction: current.direction === 'asc' ? 'desc' : 'asc' }
    : { key, direction: initialDirection };

export const ariaSort = (sort: SortState | null, key: string): 'ascending' | 'descending' | 'none' =>
  sort?.key !== key ? 'none' : sort.direction === 'asc' ? 'ascending' : 'descending';
