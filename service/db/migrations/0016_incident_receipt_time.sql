-- A device's clock is the device's word. Every timeline entry keeps when the
-- device says the edit was made (recorded_at) and when the service received it
-- (received_at); `at` stays the time that counts, the recorded one only for an
-- offline edit made after the session's last sync (service/incidents/incident-writes.ts).
ALTER TABLE incident_timeline ADD COLUMN recorded_at timestamptz;
ALTER TABLE incident_timeline ADD COLUMN received_at timestamptz;
-- Entries written before this kept only the device's time; the idempotency record
-- of the request that wrote one says when it arrived.
UPDATE incident_timeline t SET recorded_at = t.at,
  received_at = coalesce(
    (SELECT r.created_at FROM incident_edit_requests r WHERE r.incident_id = t.incident_id AND r.result -> 'entry' ->> 'id' = t.id::text),
    t.at);
ALTER TABLE incident_timeline ALTER COLUMN recorded_at SET NOT NULL;
ALTER TABLE incident_timeline ALTER COLUMN received_at SET NOT NULL;

-- When the service last served each session's changes feed: the device's last
-- sync, known to the service rather than claimed by the device. An offline edit
-- may claim a time back to it and no further.
CREATE TABLE incident_feed_pulls (
  session_id uuid PRIMARY KEY REFERENCES sessions (id),
  pulled_at timestamptz NOT NULL
);

ALTER TABLE incident_feed_pulls ENABLE ROW LEVEL SECURITY;
ALTER TABLE incident_feed_pulls FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON incident_feed_pulls TO attest_app;
GRANT UPDATE (pulled_at) ON incident_feed_pulls TO attest_app;
CREATE POLICY incident_feed_pulls_platform ON incident_feed_pulls USING (attest_is_platform()) WITH CHECK (attest_is_platform());

-- When the service refuses a session's edit of an incident, the console holds that
-- session's later edits of it until the user resolves the conflict, and pulls in the
-- meantime. The window the session had at the refusal stays open for that incident:
-- a held edit may still claim a time in [floor, refused_at], which it could have
-- claimed at the refusal anyway.
CREATE TABLE incident_edit_holds (
  session_id uuid NOT NULL REFERENCES sessions (id),
  incident_id uuid NOT NULL REFERENCES incidents (id),
  floor timestamptz NOT NULL,
  refused_at timestamptz NOT NULL CHECK (refused_at >= floor),
  PRIMARY KEY (session_id, incident_id)
);

ALTER TABLE incident_edit_holds ENABLE ROW LEVEL SECURITY;
ALTER TABLE incident_edit_holds FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON incident_edit_holds TO attest_app;
GRANT UPDATE (floor, refused_at) ON incident_edit_holds TO attest_app;
CREATE POLICY incident_edit_holds_platform ON incident_edit_holds USING (attest_is_platform()) WITH CHECK (attest_is_platform());
