/** API token policy numbers: declared once, enforced by the service, shown by the console. */
const DAY = 24 * 60 * 60;

export const API_TOKEN_POLICY = {
  /** Every token expires; this is the longest life a token may be given (seconds). */
  maxLifetime: 365 * DAY,
  /** A token older than this is flagged `stale` in the list (rotate it). */
  staleAfter: 90 * DAY,
  /** last_used_at is written at most this often per token (seconds). */
  touchInterval: 60,
} as const;
