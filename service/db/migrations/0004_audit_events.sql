-- Append-only audit events, one gap-free sequence per tenant; the platform's own
-- events live under the nil UUID. (Hash chaining and signed tree heads come later.)
CREATE TABLE audit_sequences (
  tenant_id uuid PRIMARY KEY,
  next_seq bigint NOT NULL CHECK (next_seq > 0)
);

CREATE TABLE audit_events (
  tenant_id uuid NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  at timestamptz NOT NULL DEFAULT now(),
  actor_type text NOT NULL CHECK (actor_type IN ('operator', 'system')),
  actor_id text NOT NULL,
  action text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
  target text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  request_id text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (tenant_id, seq)
);

ALTER TABLE audit_sequences ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_sequences FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;

-- The sequence row is bumped with INSERT … ON CONFLICT DO UPDATE; the events
-- themselves can only be read and appended, never changed or removed.
GRANT SELECT, INSERT, UPDATE ON audit_sequences TO attest_app;
GRANT SELECT, INSERT ON audit_events TO attest_app;

CREATE POLICY audit_sequences_scope ON audit_sequences
  USING (tenant_id = attest_scope_tenant_id())
  WITH CHECK (tenant_id = attest_scope_tenant_id());
CREATE POLICY audit_events_scope ON audit_events
  USING (tenant_id = attest_scope_tenant_id())
  WITH CHECK (tenant_id = attest_scope_tenant_id());
