-- attest_app: the role every service transaction runs as (SET LOCAL ROLE attest_app).
-- NOLOGIN: nobody connects as it; the service's login role switches to it per
-- transaction. No BYPASSRLS: row-level security applies to it on every table.
--
-- Roles are cluster-wide, so several databases (parallel test runs, two
-- environments on one server) may create it at the same moment: a concurrent
-- CREATE ROLE fails with unique_violation rather than duplicate_object.
DO $$
BEGIN
  CREATE ROLE attest_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- A pre-existing role of that name must be as weak as the one we would create.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'attest_app' AND (rolsuper OR rolbypassrls)) THEN
    RAISE EXCEPTION 'role attest_app exists with SUPERUSER or BYPASSRLS; row-level security would not apply to it';
  END IF;
  IF NOT pg_has_role(current_user, 'attest_app', 'MEMBER') THEN
    EXECUTE format('GRANT attest_app TO %I', current_user);
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO attest_app;

-- The scope of the current transaction, as set by the service (service/db/db.ts).
-- Unset or empty settings mean "no scope": policies then match no rows.
CREATE FUNCTION attest_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('attest.tenant_id', true), '')::uuid $$;

CREATE FUNCTION attest_is_platform() RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('attest.scope', true), '') = 'platform' $$;

-- Rows that belong to "whoever this transaction is for": the tenant in tenant
-- scope, the nil UUID (the platform itself) in platform scope.
CREATE FUNCTION attest_scope_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT CASE WHEN attest_is_platform() THEN '00000000-0000-0000-0000-000000000000'::uuid ELSE attest_tenant_id() END $$;
