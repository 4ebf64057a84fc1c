import type { PostureSnapshot } from '../../../../shared/posture/api';
import { diffPostures, type TrustPageDiff } from '../../../../shared/trust-page/diff';

/** The two snapshots a diff starts with: the newest and the one before it. */
export const defaultDiffPair = (snapshots: readonly PostureSnapshot[]): { before: string; after: string } | null => {
  const newest = [...snapshots].sort((a, b) => b.takenAt.localeCompare(a.takenAt));
  return newest.length >= 2 ? { before: newest[1]!.id, after: newest[0]!.id } : null;
};

/**
 * What a reader of the trust page would see change between two stored snapshots,
 * the earlier one first whatever order they were picked in. Null when one is not in
 * the history (any more) or both are the same.
 */
export const diffOfSnapshots = (snapshots: readonly PostureSnapshot[], a: string, b: string): TrustPageDiff | null => {
  const first = snapshots.find((s) => s.id === a);
  const second = snapshots.find((s) => s.id === b);
  if (!first || !second || first.id === second.id) return null;
  const [before, after] = first.takenAt <= second.takenAt ? [first, second] : [second, first];
  return diffPostures(before.posture, after.posture, { before: before.id, after: after.id });
};

/** Where the published page is read without a token, on the service the console is connected to. */
export const publicUrl = (serviceUrl: string, path: string): string | null => {
  try {
    return new URL(path, serviceUrl).href;
  } catch {
    return null;
  }
};

/** A file chosen in the page (browser mode) is read only up to this size; the core refuses larger ones anyway. */
export const MAX_PAGE_FILE_BYTES = 5_000_000;
