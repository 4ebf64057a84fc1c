-- A tenant reaches a person only through an ACTIVE membership (issue 11, finding 1).
-- An invite made without the person's consent, or a membership the tenant ended,
-- must not show the tenant that person's sessions or their profile as it is now.

-- Sessions: seen and revoked only for the tenant's active members who are not
-- the operator's staff (platform staff are never reachable from a tenant: the
-- service refuses them before this; the grants table is platform-only, so the
-- policy cannot name them).
DROP POLICY sessions_tenant_members_read ON sessions;
DROP POLICY sessions_tenant_members_revoke ON sessions;
CREATE POLICY sessions_tenant_members_read ON sessions FOR SELECT
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = sessions.user_id AND m.tenant_id = attest_tenant_id() AND m.status = 'active'));
CREATE POLICY sessions_tenant_members_revoke ON sessions FOR UPDATE
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = sessions.user_id AND m.tenant_id = attest_tenant_id() AND m.status = 'active'))
  WITH CHECK (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = sessions.user_id AND m.tenant_id = attest_tenant_id() AND m.status = 'active'));

-- Profiles: a tenant sees the users of its active and former (deactivated) members,
-- never of someone it merely invited (their address is on the membership).
DROP POLICY users_members ON users;
CREATE POLICY users_members ON users FOR SELECT
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = attest_tenant_id() AND m.status <> 'invited'));

-- The membership's copies of the user's MFA state and last sign-in (0011) follow
-- the person only while the membership is active: an invited membership starts
-- without them, a deactivated one keeps what they were when it ended. The service
-- refreshes them when a membership becomes active (service/members/membership-copies.ts).
CREATE OR REPLACE FUNCTION attest_membership_fill() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  SELECT lower(u.email), u.mfa_enrolled_at IS NOT NULL AND NEW.status = 'active', CASE WHEN NEW.status = 'active' THEN u.last_sign_in_at END
    INTO NEW.email_lower, NEW.mfa_enrolled, NEW.last_sign_in_at
    FROM users u WHERE u.id = NEW.user_id;
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION attest_user_to_memberships() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE memberships SET email_lower = lower(NEW.email), mfa_enrolled = NEW.mfa_enrolled_at IS NOT NULL, last_sign_in_at = NEW.last_sign_in_at
   WHERE user_id = NEW.id AND status = 'active';
  RETURN NULL;
END
$$;

UPDATE memberships SET mfa_enrolled = false, last_sign_in_at = NULL WHERE status = 'invited';
