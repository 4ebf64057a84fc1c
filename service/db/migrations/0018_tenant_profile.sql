-- Tenants as a real domain (issue 12): a unique URL-safe slug (it names the tenant's
-- public trust page), and a status: a suspended tenant's members are refused
-- everything in it until it is reinstated. Its data, logs and clocks are untouched.

ALTER TABLE tenants ADD COLUMN slug text;
ALTER TABLE tenants ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended'));
ALTER TABLE tenants ADD COLUMN status_changed_at timestamptz;

-- Backfill: the slug derived from the name as shared/tenants/slug.ts derives it
-- (ASCII letters and digits, runs of anything else, accents too, one hyphen; 3-63
-- characters); a name whose slug an earlier tenant took gets its id's first
-- eight hex digits appended.
WITH base AS (
  SELECT id, created_at,
         trim(BOTH '-' FROM left(trim(BOTH '-' FROM regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g')), 54)) AS b
    FROM tenants
), padded AS (
  SELECT id, created_at, CASE WHEN b = '' THEN 'tenant' WHEN length(b) < 3 THEN b || '-tenant' ELSE b END AS b FROM base
), numbered AS (
  SELECT id, b, row_number() OVER (PARTITION BY b ORDER BY created_at, id) AS n FROM padded
)
UPDATE tenants t SET slug = CASE WHEN n.n = 1 THEN n.b ELSE n.b || '-' || left(t.id::text, 8) END,
                     status_changed_at = t.created_at
  FROM numbered n WHERE n.id = t.id;

UPDATE tenants SET status_changed_at = created_at WHERE status_changed_at IS NULL;
ALTER TABLE tenants ALTER COLUMN slug SET NOT NULL;
ALTER TABLE tenants ALTER COLUMN status_changed_at SET NOT NULL;
ALTER TABLE tenants ALTER COLUMN status_changed_at SET DEFAULT now();
ALTER TABLE tenants ADD CONSTRAINT tenants_slug_format
  CHECK (length(slug) BETWEEN 3 AND 63 AND slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$');
CREATE UNIQUE INDEX tenants_slug ON tenants (slug);

-- Name, plan and status change through the platform scope (tenants_platform); a
-- tenant still only reads itself. The slug and region never change here.
GRANT UPDATE (name, plan, status, status_changed_at) ON tenants TO attest_app;

-- Token validation reads the status of the caller's tenants: a suspension drops
-- cached tokens at once (0007), so it applies at the next request (the limits'
-- table already does, 0009).
CREATE TRIGGER tenants_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenants
  FOR EACH STATEMENT EXECUTE FUNCTION attest_auth_changed();

-- Suspending and reinstating a tenant are approved actions (a second person decides).
ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_action_check;
ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_action_check
  CHECK (action IN ('sessions.revoke_tenant', 'members.bulk_remove', 'platform_role.grant', 'tenant.suspend', 'tenant.reinstate'));
