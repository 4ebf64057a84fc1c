import type { OfflineWindow } from '../../shared/incidents/edit-time';
import type { PlatformTx } from '../db/db';

/**
 * How far back a session's edits may claim their own time (migration 0016), as the
 * service knows it rather than as the device says: from when the service last
 * served that session's changes feed (its last sync), and, for an incident whose
 * edit the service refused, the window the session had at that refusal, which
 * its held edits of that incident keep. Bookkeeping like a session's last-seen
 * time, so not audited.
 */
export const recordFeedPull = async (tx: PlatformTx, sessionId: string, at: Date): Promise<void> => {
  await tx.query(
    `INSERT INTO incident_feed_pulls (session_id, pulled_at) VALUES ($1, $2)
     ON CONFLICT (session_id) DO UPDATE SET pulled_at = greatest(incident_feed_pulls.pulled_at, excluded.pulled_at)`,
    [sessionId, at.toISOString()],
  );
};

const lastFeedPull = async (tx: PlatformTx, sessionId: string): Promise<Date | null> => {
  const rows = await tx.query<{ pulled_at: Date | string }>('SELECT pulled_at FROM incident_feed_pulls WHERE session_id = $1', [sessionId]);
  return rows[0] ? new Date(rows[0].pulled_at) : null;
};

/**
 * Remembers the window a session had when the service refused its edit of an
 * incident. A hold that ended before the session's current sync is replaced; an
 * overlapping one is extended, so the hold is always one window the session has had.
 */
export const recordRefusal = async (tx: PlatformTx, sessionId: string, incidentId: string, at: Date): Promise<void> => {
  const floor = await lastFeedPull(tx, sessionId);
  if (floor === null || floor > at) return;
  await tx.query(
    `INSERT INTO incident_edit_holds (session_id, incident_id, floor, refused_at)
     SELECT $1, i.id, $3, $4 FROM incidents i WHERE i.id = $2
     ON CONFLICT (session_id, incident_id) DO UPDATE SET
       floor = CASE WHEN incident_edit_holds.refused_at < excluded.floor THEN excluded.floor ELSE incident_edit_holds.floor END,
       refused_at = greatest(incident_edit_holds.refused_at, excluded.refused_at)`,
    [sessionId, incidentId, floor.toISOString(), at.toISOString()],
  );
};

/** The windows an edit of this incident from this session may claim a time in. */
export const offlineWindows = async (tx: PlatformTx, sessionId: string, incidentId: string): Promise<OfflineWindow[]> => {
  const windows: OfflineWindow[] = [];
  const synced = await lastFeedPull(tx, sessionId);
  if (synced !== null) windows.push({ from: synced, until: null });
  const held = await tx.query<{ floor: Date | string; refused_at: Date | string }>(
    'SELECT floor, refused_at FROM incident_edit_holds WHERE session_id = $1 AND incident_id = $2',
    [sessionId, incidentId],
  );
  for (const h of held) windows.push({ from: new Date(h.floor), until: new Date(h.refused_at) });
  return windows;
};
