-- Users: platform-level (one person may belong to several tenants). Profile only;
-- credentials live in user_credentials, which no tenant scope can read.
CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
  mfa_enrolled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz
);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

CREATE TABLE user_credentials (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  -- PHC string: algorithm and parameters travel with the hash.
  password_hash text NOT NULL,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  -- AES-256-GCM under the key file (service/crypto/key-ring.ts), bound to the user id.
  totp_secret_sealed text,
  -- The last accepted TOTP time step: a code at or before it is a replay.
  totp_last_step bigint
);

CREATE TABLE recovery_codes (
  user_id uuid NOT NULL REFERENCES users (id),
  code_sha256 text NOT NULL CHECK (code_sha256 ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at timestamptz,
  PRIMARY KEY (user_id, code_sha256)
);

CREATE TABLE platform_role_grants (
  user_id uuid NOT NULL REFERENCES users (id),
  role text NOT NULL CHECK (role IN ('security_officer', 'incident_responder', 'platform_admin', 'auditor')),
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, role)
);

-- Tenant-scoped: tenant_id leads the key.
CREATE TABLE memberships (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  user_id uuid NOT NULL REFERENCES users (id),
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'reviewer', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- A tenant's security policy; a tenant without a row has the defaults
-- (MFA required, SESSION_POLICY's idle and absolute limits).
CREATE TABLE tenant_security_policies (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  mfa_required boolean NOT NULL DEFAULT true,
  idle_timeout_seconds integer NOT NULL CHECK (idle_timeout_seconds >= 900),
  absolute_timeout_seconds integer NOT NULL CHECK (absolute_timeout_seconds <= 7776000 AND absolute_timeout_seconds >= idle_timeout_seconds)
);

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
ALTER TABLE user_credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_credentials FORCE ROW LEVEL SECURITY;
ALTER TABLE recovery_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE recovery_codes FORCE ROW LEVEL SECURITY;
ALTER TABLE platform_role_grants ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform_role_grants FORCE ROW LEVEL SECURITY;
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
ALTER TABLE tenant_security_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_security_policies FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT ON users TO attest_app;
GRANT UPDATE (display_name, status, mfa_enrolled_at, last_sign_in_at) ON users TO attest_app;
GRANT SELECT, INSERT ON user_credentials TO attest_app;
GRANT UPDATE (password_hash, password_changed_at, totp_secret_sealed, totp_last_step) ON user_credentials TO attest_app;
GRANT SELECT, INSERT, DELETE ON recovery_codes TO attest_app;
GRANT UPDATE (used_at) ON recovery_codes TO attest_app;
GRANT SELECT, INSERT, DELETE ON platform_role_grants TO attest_app;
GRANT SELECT, INSERT, DELETE ON memberships TO attest_app;
GRANT UPDATE (role) ON memberships TO attest_app;
GRANT SELECT, INSERT ON tenant_security_policies TO attest_app;
GRANT UPDATE (mfa_required, idle_timeout_seconds, absolute_timeout_seconds) ON tenant_security_policies TO attest_app;

-- Platform scope sees every user; a tenant sees only the profiles of its own members.
CREATE POLICY users_platform ON users
  USING (attest_is_platform())
  WITH CHECK (attest_is_platform());
CREATE POLICY users_members ON users FOR SELECT
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = attest_tenant_id()));

-- Secrets and platform roles: platform scope only.
CREATE POLICY user_credentials_platform ON user_credentials
  USING (attest_is_platform())
  WITH CHECK (attest_is_platform());
CREATE POLICY recovery_codes_platform ON recovery_codes
  USING (attest_is_platform())
  WITH CHECK (attest_is_platform());
CREATE POLICY platform_role_grants_platform ON platform_role_grants
  USING (attest_is_platform())
  WITH CHECK (attest_is_platform());

-- Platform scope (sign-in, the authenticator) reads every membership; a tenant only its own.
CREATE POLICY memberships_platform ON memberships
  USING (attest_is_platform())
  WITH CHECK (attest_is_platform());
CREATE POLICY memberships_tenant ON memberships
  USING (tenant_id = attest_tenant_id())
  WITH CHECK (tenant_id = attest_tenant_id());
CREATE POLICY tenant_security_policies_platform ON tenant_security_policies
  USING (attest_is_platform())
  WITH CHECK (attest_is_platform());
CREATE POLICY tenant_security_policies_tenant ON tenant_security_policies
  USING (tenant_id = attest_tenant_id())
  WITH CHECK (tenant_id = attest_tenant_id());

-- Audit events now have people as actors, and anonymous callers (failed sign-ins).
ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_type_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_actor_type_check
  CHECK (actor_type IN ('operator', 'system', 'user', 'anonymous'));
