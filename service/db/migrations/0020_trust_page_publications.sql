-- Published trust pages (service/trust-page/): the page of a fresh posture snapshot,
-- signed by the service's audit key, with the inclusion proof of the snapshot's
-- audit event under a signed tree head, rendered once and served as stored to
-- anyone at /trust/<slug>. Never changed; the last published per scope (largest tree
-- size: the log only grows, whatever the clock says) is the one served.
-- The platform's rows carry the nil UUID and are visible in platform scope only.
CREATE TABLE trust_page_publications (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  published_at timestamptz NOT NULL,
  snapshot_id uuid NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  tree_size bigint NOT NULL CHECK (tree_size >= 1),
  -- The evidence bundle's JSON text exactly as embedded in both pages (served as snapshot.json).
  bundle text NOT NULL,
  html text NOT NULL,
  markdown text NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, snapshot_id) REFERENCES posture_snapshots (tenant_id, id)
);
CREATE INDEX trust_page_publications_latest ON trust_page_publications (tenant_id, tree_size DESC, published_at DESC);

ALTER TABLE trust_page_publications ENABLE ROW LEVEL SECURITY;
ALTER TABLE trust_page_publications FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON trust_page_publications TO attest_app;
CREATE POLICY trust_page_publications_platform ON trust_page_publications USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY trust_page_publications_tenant ON trust_page_publications USING (tenant_id = attest_tenant_id()) WITH CHECK (tenant_id = attest_tenant_id());
