-- People search (GET /v1/people?q=) matches a substring of a person's email or name.
-- Trigram indexes answer that without reading every user.
--
-- Row-level security alone would keep them unused: the planner runs a policy's
-- checks before any condition that is not LEAKPROOF, and LIKE is not, so under
-- users' policies every search read the whole table. attest_people_matching
-- uses the indexes as the function's owner, applies the same scope the policies
-- do (the platform: anyone; a tenant: its members who are not merely invited)
-- and returns ids only: the caller reads the people through users' policies, so
-- a mistake here could hide a person but never show one of another tenant.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX users_email_trgm ON users USING gin (lower(email) gin_trgm_ops);
CREATE INDEX users_name_trgm ON users USING gin (lower(display_name) gin_trgm_ops);

-- pattern: a LIKE pattern over the lowercased email and name; the first max_rows by name.
-- ROWS: a page (at most 50), so the caller's join looks each id up instead of reading every membership.
-- EXECUTE plans the query for this pattern: a plan for any pattern expects many matches and
-- reads the whole tenant's memberships to check them.
CREATE FUNCTION attest_people_matching(pattern text, max_rows int) RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 20 SET search_path FROM CURRENT AS $$
BEGIN
  RETURN QUERY EXECUTE
    'SELECT u.id FROM users u
      WHERE (lower(u.email) LIKE $1 OR lower(u.display_name) LIKE $1)
        AND (attest_is_platform()
             OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.tenant_id = attest_tenant_id() AND m.status <> ''invited''))
      ORDER BY u.display_name, u.id
      LIMIT $2'
    USING pattern, max_rows;
END
$$;
REVOKE ALL ON FUNCTION attest_people_matching(text, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attest_people_matching(text, int) TO attest_app;
