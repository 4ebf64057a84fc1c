-- Posture snapshots (service/posture/): one evaluation of every control, stored as
-- evaluated and never changed. Its SHA-256 (over the canonical JSON of `posture`)
-- is appended to the same scope's audit log in the same transaction, so the
-- snapshot's existence at that time is provable under a signed tree head. The
-- platform's snapshots carry the nil UUID and are visible in platform scope only.
CREATE TABLE posture_snapshots (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  taken_at timestamptz NOT NULL,
  catalogue_version integer NOT NULL CHECK (catalogue_version >= 1),
  -- Aggregates only (shared/posture/control.ts EvidenceSchema): no person is named.
  posture jsonb NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  audit_seq bigint NOT NULL CHECK (audit_seq >= 0),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX posture_snapshots_taken ON posture_snapshots (tenant_id, taken_at DESC);

ALTER TABLE posture_snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE posture_snapshots FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON posture_snapshots TO attest_app;
CREATE POLICY posture_snapshots_platform ON posture_snapshots USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY posture_snapshots_tenant ON posture_snapshots USING (tenant_id = attest_tenant_id()) WITH CHECK (tenant_id = attest_tenant_id());
