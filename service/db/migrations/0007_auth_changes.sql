-- Any change to what an access token's validation reads (sessions, tokens, users,
-- roles) is announced on the 'attest_auth_changed' channel when it commits, so a
-- service instance can cache validated tokens and drop them the moment any of
-- that changes. Statement-level: one notice per statement, whatever it touched.
CREATE FUNCTION attest_auth_changed() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('attest_auth_changed', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER sessions_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION attest_auth_changed();
CREATE TRIGGER session_tokens_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON session_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION attest_auth_changed();
CREATE TRIGGER users_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION attest_auth_changed();
CREATE TRIGGER memberships_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON memberships
  FOR EACH STATEMENT EXECUTE FUNCTION attest_auth_changed();
CREATE TRIGGER platform_role_grants_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON platform_role_grants
  FOR EACH STATEMENT EXECUTE FUNCTION attest_auth_changed();
