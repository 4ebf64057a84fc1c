-- Users administration: membership status (invited / active / deactivated),
-- single-use invites, forced MFA re-enrolment after a reset, and the
-- remediation plan a tenant must carry while it does not enforce MFA.

-- Status belongs to the membership, not the user: deactivating someone in one
-- tenant must not lock them out of another tenant's work.
ALTER TABLE memberships ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'deactivated'));
ALTER TABLE memberships ADD COLUMN status_changed_at timestamptz;
GRANT UPDATE (status, status_changed_at) ON memberships TO attest_app;

-- The members list pages through up to ~100,000 members of one tenant, filtered
-- and sorted by fields of the user (email, MFA, last sign-in). Copies of those
-- fields on the membership, kept in step by triggers, let an index walk one
-- tenant's members in order and stop after a page instead of sorting them all.
ALTER TABLE memberships ADD COLUMN email_lower text;
ALTER TABLE memberships ADD COLUMN mfa_enrolled boolean NOT NULL DEFAULT false;
ALTER TABLE memberships ADD COLUMN last_sign_in_at timestamptz;
UPDATE memberships m SET email_lower = lower(u.email), mfa_enrolled = u.mfa_enrolled_at IS NOT NULL, last_sign_in_at = u.last_sign_in_at
  FROM users u WHERE u.id = m.user_id;
GRANT UPDATE (email_lower, mfa_enrolled, last_sign_in_at) ON memberships TO attest_app;
CREATE INDEX memberships_tenant_email ON memberships (tenant_id, email_lower, user_id);
CREATE INDEX memberships_tenant_last_sign_in ON memberships (tenant_id, last_sign_in_at NULLS FIRST, email_lower, user_id);
-- The admin's usual question: which active members of a role lack MFA, stalest first.
CREATE INDEX memberships_tenant_filters_sign_in ON memberships (tenant_id, status, role, mfa_enrolled, last_sign_in_at NULLS FIRST, email_lower, user_id);

-- Memberships are inserted in platform scope (the user's row is visible there).
CREATE FUNCTION attest_membership_fill() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  SELECT lower(u.email), u.mfa_enrolled_at IS NOT NULL, u.last_sign_in_at INTO NEW.email_lower, NEW.mfa_enrolled, NEW.last_sign_in_at
    FROM users u WHERE u.id = NEW.user_id;
  RETURN NEW;
END
$$;
CREATE TRIGGER memberships_fill BEFORE INSERT ON memberships FOR EACH ROW EXECUTE FUNCTION attest_membership_fill();

CREATE FUNCTION attest_user_to_memberships() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE memberships SET email_lower = lower(NEW.email), mfa_enrolled = NEW.mfa_enrolled_at IS NOT NULL, last_sign_in_at = NEW.last_sign_in_at
   WHERE user_id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER users_to_memberships AFTER UPDATE OF email, mfa_enrolled_at, last_sign_in_at ON users FOR EACH ROW
  WHEN (OLD.email IS DISTINCT FROM NEW.email OR (OLD.mfa_enrolled_at IS NULL) <> (NEW.mfa_enrolled_at IS NULL) OR OLD.last_sign_in_at IS DISTINCT FROM NEW.last_sign_in_at)
  EXECUTE FUNCTION attest_user_to_memberships();

-- MFA enrolment counts per tenant (active members) and pending invites: read by
-- the users view and the posture without counting 100,000 rows per request.
CREATE TABLE tenant_member_counts (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  enrolled integer NOT NULL DEFAULT 0,
  not_enrolled integer NOT NULL DEFAULT 0,
  invited integer NOT NULL DEFAULT 0
);
INSERT INTO tenant_member_counts (tenant_id, enrolled, not_enrolled, invited)
  SELECT tenant_id, count(*) FILTER (WHERE status = 'active' AND mfa_enrolled), count(*) FILTER (WHERE status = 'active' AND NOT mfa_enrolled),
         count(*) FILTER (WHERE status = 'invited')
    FROM memberships GROUP BY tenant_id;
ALTER TABLE tenant_member_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_member_counts FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE ON tenant_member_counts TO attest_app;
CREATE POLICY tenant_member_counts_platform ON tenant_member_counts USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY tenant_member_counts_tenant ON tenant_member_counts USING (tenant_id = attest_tenant_id()) WITH CHECK (tenant_id = attest_tenant_id());

CREATE FUNCTION attest_member_counts_add(t uuid, status text, mfa boolean, d integer) RETURNS void
  LANGUAGE sql AS $$
  INSERT INTO tenant_member_counts AS c (tenant_id, enrolled, not_enrolled, invited)
  VALUES (t, CASE WHEN status = 'active' AND mfa THEN d ELSE 0 END, CASE WHEN status = 'active' AND NOT mfa THEN d ELSE 0 END,
          CASE WHEN status = 'invited' THEN d ELSE 0 END)
  ON CONFLICT (tenant_id) DO UPDATE SET enrolled = c.enrolled + EXCLUDED.enrolled, not_enrolled = c.not_enrolled + EXCLUDED.not_enrolled,
                                        invited = c.invited + EXCLUDED.invited
$$;
CREATE FUNCTION attest_member_counts() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM attest_member_counts_add(OLD.tenant_id, OLD.status, OLD.mfa_enrolled, -1); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM attest_member_counts_add(NEW.tenant_id, NEW.status, NEW.mfa_enrolled, 1); END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER memberships_counts AFTER INSERT OR DELETE OR UPDATE OF status, mfa_enrolled ON memberships FOR EACH ROW EXECUTE FUNCTION attest_member_counts();

-- Set by an MFA reset: the next sign-in must enrol, whatever the tenants' policies say.
ALTER TABLE user_credentials ADD COLUMN mfa_enrolment_required boolean NOT NULL DEFAULT false;
GRANT UPDATE (mfa_enrolment_required) ON user_credentials TO attest_app;

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
