/** Access review policy numbers: declared once, enforced by the service, shown by the console. Durations in seconds. */
const DAY = 24 * 60 * 60;

export const ACCESS_REVIEW_POLICY = {
  /** A campaign is due this long after it starts unless given a due date: quarterly. */
  defaultDue: 90 * DAY,
  /** A due date further out than this is refused (a review that never ends reviews nothing). */
  maxDue: 366 * DAY,
} as const;
