-- Anomalous sign-in flags, set when a session is created (service/sessions/anomaly.ts).
ALTER TABLE sessions ADD COLUMN anomaly_flags text[] NOT NULL DEFAULT '{}'
  CHECK (anomaly_flags <@ ARRAY['new_device', 'new_ip', 'after_failures']::text[]);

-- A tenant sees (and may revoke) the sessions of its members. A session is the
-- user's, spanning all their tenants: revoking it in one tenant ends it everywhere.
CREATE POLICY sessions_tenant_members_read ON sessions FOR SELECT
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = sessions.user_id AND m.tenant_id = attest_tenant_id()));
CREATE POLICY sessions_tenant_members_revoke ON sessions FOR UPDATE
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = sessions.user_id AND m.tenant_id = attest_tenant_id()))
  WITH CHECK (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = sessions.user_id AND m.tenant_id = attest_tenant_id()));

-- Session limits are computed from the current policy at validation time, so a
-- policy change is auth-relevant: cached validations must go.
CREATE TRIGGER tenant_security_policies_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenant_security_policies
  FOR EACH STATEMENT EXECUTE FUNCTION attest_auth_changed();

-- Room on each page for updated rows: last_seen_at moves every minute and revoked_at
-- is set in bulk (a tenant at once); neither is indexed, so with free space these are
-- HOT updates that write no index entries.
ALTER TABLE sessions SET (fillfactor = 70);
