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

-- Access reviews (service/access-reviews/): a campaign snapshots a tenant's
-- memberships; each gets a decision; closing applies removals and role changes.
CREATE TABLE access_reviews (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  started_by uuid NOT NULL REFERENCES users (id),
  started_by_email text NOT NULL,
  started_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL CHECK (due_at > started_at),
  closed_by uuid REFERENCES users (id),
  closed_by_email text,
  closed_at timestamptz,
  result jsonb,
  PRIMARY KEY (tenant_id, id)
);
-- At most one open campaign per tenant.
CREATE UNIQUE INDEX access_reviews_one_open ON access_reviews (tenant_id) WHERE closed_at IS NULL;

CREATE TABLE access_review_items (
  tenant_id uuid NOT NULL,
  review_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id),
  email text NOT NULL,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'reviewer', 'viewer')),
  decision text CHECK (decision IN ('keep', 'change_role', 'remove')),
  new_role text CHECK (new_role IN ('owner', 'admin', 'editor', 'reviewer', 'viewer')),
  comment text CHECK (length(comment) <= 1000),
  decided_by uuid REFERENCES users (id),
  decided_by_email text,
  decided_at timestamptz,
  -- What closing did: kept, role_changed, removed, or skipped (no longer a member).
  outcome text CHECK (outcome IN ('kept', 'role_changed', 'removed', 'skipped')),
  PRIMARY KEY (tenant_id, review_id, user_id),
  FOREIGN KEY (tenant_id, review_id) REFERENCES access_reviews (tenant_id, id),
  CHECK ((decision = 'change_role') = (new_role IS NOT NULL))
);

ALTER TABLE access_reviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE access_reviews FORCE ROW LEVEL SECURITY;
ALTER TABLE access_review_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE access_review_items FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON access_reviews, access_review_items TO attest_app;
GRANT UPDATE (closed_by, closed_by_email, closed_at, result) ON access_reviews TO attest_app;
GRANT UPDATE (decision, new_role, comment, decided_by, decided_by_email, decided_at, outcome) ON access_review_items TO attest_app;
CREATE POLICY access_reviews_platform ON access_reviews USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY access_reviews_tenant ON access_reviews USING (tenant_id = attest_tenant_id()) WITH CHECK (tenant_id = attest_tenant_id());
CREATE POLICY access_review_items_platform ON access_review_items USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY access_review_items_tenant ON access_review_items USING (tenant_id = attest_tenant_id()) WITH CHECK (tenant_id = attest_tenant_id());
