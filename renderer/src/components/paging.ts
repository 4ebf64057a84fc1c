/**
 * A loaded list with the next page after it, leaving out rows already listed: a page read by
 * offset repeats rows when the list changed between two reads, and a reload may race a scroll.
 */
export const appendNew = <T,>(loaded: readonly T[], page: readonly T[], key: (row: T) => string): T[] => {
  const seen = new Set(loaded.map(key));
  return [...loaded, ...page.filter((row) => !seen.has(key(row)))];
};
