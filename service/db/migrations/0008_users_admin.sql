-- Users administration: membership status (invited / active / deactivated),
-- single-use invites, forced MFA re-enrolment after a reset, and the
-- remediation plan a tenant must carry while it does not enforce MFA.

-- Status belongs to the membership, not the user: deactivating someone in one
-- tenant must not lock them out of another tenant's work.
ALTER TABLE memberships ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'deactivated'));
ALTER TABLE memberships ADD COLUMN status_changed_at timestamptz;
GRANT UPDATE (status, status_changed_at) ON memberships TO attest_app;
-- The members list filters by status and role inside one tenant.
CREATE INDEX memberships_tenant_status_role ON memberships (tenant_id, status, role);

-- Set by an MFA reset: the next sign-in must enrol, whatever the tenants' policies say.
ALTER TABLE user_credentials ADD COLUMN mfa_enrolment_required boolean NOT NULL DEFAULT false;
GRANT UPDATE (mfa_enrolment_required) ON user_credentials TO attest_app;

-- Sort keys of the members list.
CREATE INDEX users_last_sign_in ON users (last_sign_in_at);

-- Invites: only the SHA-256 of the token is stored; the token is shown once to the inviter.
CREATE TABLE member_invites (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id),
  token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
  accepted_at timestamptz,
  -- A newer invite for the same person replaces this one.
  superseded_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX member_invites_user ON member_invites (tenant_id, user_id);

ALTER TABLE member_invites ENABLE ROW LEVEL SECURITY;
ALTER TABLE member_invites FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON member_invites TO attest_app;
GRANT UPDATE (accepted_at, superseded_at) ON member_invites TO attest_app;
-- Accepting is public: the service finds the invite by its token in platform scope.
CREATE POLICY member_invites_platform ON member_invites USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY member_invites_tenant ON member_invites USING (tenant_id = attest_tenant_id()) WITH CHECK (tenant_id = attest_tenant_id());

-- While a tenant does not enforce MFA it carries a plan to get there.
CREATE TABLE mfa_remediation_plans (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  owner_user_id uuid NOT NULL REFERENCES users (id),
  target_date date NOT NULL,
  compensating_controls text NOT NULL CHECK (length(compensating_controls) BETWEEN 1 AND 2000),
  updated_at timestamptz NOT NULL
);
ALTER TABLE mfa_remediation_plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE mfa_remediation_plans FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON mfa_remediation_plans TO attest_app;
CREATE POLICY mfa_remediation_plans_platform ON mfa_remediation_plans USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY mfa_remediation_plans_tenant ON mfa_remediation_plans USING (tenant_id = attest_tenant_id()) WITH CHECK (tenant_id = attest_tenant_id());
