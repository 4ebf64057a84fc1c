import type { PlatformTx } from '../db/db';

/**
 * When the service last served each session's changes feed: the device's last
 * sync as the service knows it (migration 0016). An offline edit pushed in that
 * session may claim a time back to it and no further (shared/incidents/edit-time.ts).
 * Bookkeeping like a session's last-seen time, so not audited.
 */
export const recordFeedPull = async (tx: PlatformTx, sessionId: string, at: Date): Promise<void> => {
  await tx.query(
    `INSERT INTO incident_feed_pulls (session_id, pulled_at) VALUES ($1, $2)
     ON CONFLICT (session_id) DO UPDATE SET pulled_at = greatest(incident_feed_pulls.pulled_at, excluded.pulled_at)`,
    [sessionId, at.toISOString()],
  );
};

export const lastFeedPull = async (tx: PlatformTx, sessionId: string): Promise<Date | null> => {
  const rows = await tx.query<{ pulled_at: Date | string }>('SELECT pulled_at FROM incident_feed_pulls WHERE session_id = $1', [sessionId]);
  return rows[0] ? new Date(rows[0].pulled_at) : null;
};
