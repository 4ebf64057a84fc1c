CREATE TABLE tenants (
  id uuid PRIMARY KEY CHECK (id <> '00000000-0000-0000-0000-000000000000'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  region text NOT NULL CHECK (region IN ('eu', 'us')),
  plan text NOT NULL CHECK (plan IN ('free', 'team', 'enterprise')),
  created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON tenants TO attest_app;

-- Operators (platform scope) see and create tenants; a tenant sees only itself.
CREATE POLICY tenants_platform ON tenants
  USING (attest_is_platform())
  WITH CHECK (attest_is_platform());
CREATE POLICY tenants_self ON tenants FOR SELECT
  USING (id = attest_tenant_id());
