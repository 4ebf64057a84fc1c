/**
 * Which time an incident edit counts from. A device's clock is the device's word:
 * the service keeps its own receipt time on every edit and judges deadlines by it,
 * except for an edit made offline, which may claim an earlier time only back to
 * the moment the service last served that session's changes feed (its last
 * sync). Both times are kept, so the timeline can say "recorded offline at …,
 * received …".
 */

/** How far ahead of the service's clock a device's clock may run before its times are refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Below this gap between recording and receipt an edit was pushed as it was made: the timeline shows one time. */
export const OFFLINE_GAP_MS = 60_000;

export interface EditTimes {
  /** The time that counts: the incident's own times, a notice's sent time and the deadlines are judged by it. */
  readonly at: string;
  /** When the device says the edit was made. */
  readonly recordedAt: string;
  /** When the service received it. */
  readonly receivedAt: string;
}

export type EditTimeProblem = 'time_in_future' | 'time_before_creation';

/** A span the device was offline in, as the service knows it: from a sync it served, until a time it saw (null: until receipt). */
export interface OfflineWindow {
  readonly from: Date;
  readonly until: Date | null;
}

export interface EditTimeBounds {
  /** The service's clock as the edit arrived. */
  readonly receivedAt: Date;
  /**
   * Where the session's edits may claim a time: since the service last served its changes feed
   * (until receipt), and, for an incident whose edit the service refused, the window the session
   * had then. Empty when it never synced (or the caller has no session).
   */
  readonly windows: readonly OfflineWindow[];
  /** Nothing about an incident happens before it was opened (nor before it was detected, when that is later). */
  readonly createdAt: string;
  readonly detectedAt: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The times of an edit claiming `claimedAt`, or why the claim is refused. A claim
 * within one of its windows, not after receipt and not before the incident, is an
 * offline edit and keeps its time; any other claim (a clock set back, a session that never synced,
 * a clock a little ahead or behind) counts from receipt, so a device's clock can
 * never meet a deadline the receipt misses. Refused, beyond the skew a clock may
 * have: a time ahead of the service, or before the incident was opened.
 */
export function judgeEditTime(claimedAt: string, bounds: EditTimeBounds): EditTimes | EditTimeProblem {
  const claimed = Date.parse(claimedAt);
  const received = bounds.receivedAt.getTime();
  const opened = Math.max(Date.parse(bounds.createdAt), Date.parse(bounds.detectedAt));
  if (claimed > received + MAX_CLOCK_SKEW_MS) return 'time_in_future';
  // A console a minute slow that edits an incident it has just opened is not lying; it counts from receipt.
  if (claimed < opened - MAX_CLOCK_SKEW_MS) return 'time_before_creation';
  const offline =
    claimed >= opened &&
    claimed <= received &&
    bounds.windows.some((w) => claimed >= w.from.getTime() && (w.until === null || claimed <= w.until.getTime()));
  return { at: iso(offline ? claimed : received), recordedAt: iso(claimed), receivedAt: iso(received) };
}

/**
 * How an entry's times read in a timeline: null when it was pushed as it was made
 * (or is not received yet); otherwise both times, and which one counted.
 */
export function offlineTiming(entry: {
  readonly at: string;
  readonly recordedAt?: string | undefined;
  readonly receivedAt?: string | undefined;
}): { recordedAt: string; receivedAt: string; counted: 'recorded' | 'received' } | null {
  if (entry.recordedAt === undefined || entry.receivedAt === undefined) return null;
  if (Date.parse(entry.receivedAt) - Date.parse(entry.recordedAt) < OFFLINE_GAP_MS) return null;
  return { recordedAt: entry.recordedAt, receivedAt: entry.receivedAt, counted: entry.at === entry.recordedAt ? 'recorded' : 'received' };
}
