-- Approvals instead of break-glass (service/approvals/): actions that need a second
-- person. Tenant-scoped (tenant_id leads the key); requests about no one tenant
-- (platform roles) carry the nil UUID and are visible in platform scope only.
CREATE TABLE approval_requests (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  action text NOT NULL CHECK (action IN ('sessions.revoke_tenant', 'members.bulk_remove', 'platform_role.grant')),
  -- What the action will act on (ApprovalSubjectSchema in shared/approvals/schemas.ts).
  subject jsonb NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  requested_by uuid NOT NULL REFERENCES users (id),
  -- Addresses as they were at the time: a tenant's scope cannot read platform staff's profiles.
  requested_by_email text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'expired')),
  decided_by uuid REFERENCES users (id),
  decided_by_email text,
  decided_at timestamptz,
  decision_comment text CHECK (length(decision_comment) <= 1000),
  result jsonb,
  PRIMARY KEY (tenant_id, id),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX approval_requests_pending ON approval_requests (tenant_id, expires_at) WHERE status = 'pending';

ALTER TABLE approval_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE approval_requests FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON approval_requests TO attest_app;
GRANT UPDATE (status, decided_by, decided_by_email, decided_at, decision_comment, result) ON approval_requests TO attest_app;
CREATE POLICY approval_requests_platform ON approval_requests USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY approval_requests_tenant ON approval_requests
  USING (tenant_id = attest_tenant_id())
  WITH CHECK (tenant_id = attest_tenant_id());

-- Elevated platform access is time-bounded: a grant through approval ends at
-- expires_at by itself (authentication ignores it from then on). NULL: a standing
-- grant, made by provisioning (CLI user add, the demo seed) only.
ALTER TABLE platform_role_grants ADD COLUMN expires_at timestamptz;
GRANT UPDATE (granted_at, expires_at) ON platform_role_grants TO attest_app;
