-- Tenant-scoped API tokens (service/api-tokens/): a member's machine credential
-- in one tenant, with scopes and a required expiry. Only the SHA-256 of the
-- secret is stored. Authentication finds a token by its hash in platform scope
-- (the secret does not say its tenant); everything else reads in tenant scope.
CREATE TABLE api_tokens (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  scopes text[] NOT NULL CHECK (cardinality(scopes) >= 1),
  token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
  last_used_at timestamptz,
  revoked_at timestamptz,
  -- Set when rotation replaced this token.
  replaced_by uuid,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX api_tokens_user ON api_tokens (user_id) WHERE revoked_at IS NULL;

ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_tokens FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON api_tokens TO attest_app;
GRANT UPDATE (last_used_at, revoked_at, replaced_by) ON api_tokens TO attest_app;
CREATE POLICY api_tokens_platform ON api_tokens USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY api_tokens_tenant ON api_tokens USING (tenant_id = attest_tenant_id()) WITH CHECK (tenant_id = attest_tenant_id());
