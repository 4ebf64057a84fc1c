-- Reviews of anomalous sign-in flags (0009): a tenant's owner or admin says whether a
-- flagged session of one of its members was expected or suspicious (suspicious also
-- ends it). A session is the person's across their tenants, so each tenant reviews
-- for itself; the platform reviews its staff's sessions under the nil tenant id
-- (visible in platform scope only). The reviewer and any note are in the audit event.
CREATE TABLE session_flag_reviews (
  tenant_id uuid NOT NULL,
  session_id uuid NOT NULL REFERENCES sessions (id),
  outcome text NOT NULL CHECK (outcome IN ('expected', 'suspicious')),
  reviewed_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, session_id)
);

ALTER TABLE session_flag_reviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_flag_reviews FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON session_flag_reviews TO attest_app;
CREATE POLICY session_flag_reviews_platform ON session_flag_reviews USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY session_flag_reviews_tenant ON session_flag_reviews USING (tenant_id = attest_tenant_id()) WITH CHECK (tenant_id = attest_tenant_id());

-- The posture control auth.anomalous_sign_ins reads the flagged sign-ins of the
-- last 90 days: few among many sessions, so a partial index finds them directly.
CREATE INDEX sessions_flagged_created ON sessions (created_at, user_id) WHERE cardinality(anomaly_flags) > 0;
