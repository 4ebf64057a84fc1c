-- Sessions of users (platform-level: a session spans the user's tenants).
CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  -- The limits in force when the session began (the strictest of the user's tenants).
  idle_timeout_seconds integer NOT NULL CHECK (idle_timeout_seconds > 0),
  absolute_expires_at timestamptz NOT NULL,
  ip text,
  user_agent text CHECK (length(user_agent) <= 512),
  revoked_at timestamptz,
  revoked_reason text CHECK (revoked_reason IN ('logout', 'refresh_reuse', 'revoked')),
  step_up_until timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Access and refresh tokens: only their SHA-256. A used refresh token is kept
-- (used_at set) so that presenting it again is recognised as theft.
CREATE TABLE session_tokens (
  token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  session_id uuid NOT NULL REFERENCES sessions (id),
  kind text NOT NULL CHECK (kind IN ('access', 'refresh')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX session_tokens_session ON session_tokens (session_id);

-- Sign-in challenges: a password was verified, a second factor (or its enrolment) is due.
CREATE TABLE sign_in_challenges (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  kind text NOT NULL CHECK (kind IN ('mfa', 'enrol')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  consumed_at timestamptz,
  -- Enrolment only: the new TOTP secret, sealed, until a valid code confirms it.
  pending_secret_sealed text
);

-- Failed sign-ins per account (keyed by a hash of the lowercased email, whether or
-- not such a user exists) and per client IP; in the database, so limits hold
-- across restarts and service instances.
CREATE TABLE sign_in_throttles (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  window_started_at timestamptz NOT NULL,
  locked_until timestamptz
);

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
ALTER TABLE session_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_tokens FORCE ROW LEVEL SECURITY;
ALTER TABLE sign_in_challenges ENABLE ROW LEVEL SECURITY;
ALTER TABLE sign_in_challenges FORCE ROW LEVEL SECURITY;
ALTER TABLE sign_in_throttles ENABLE ROW LEVEL SECURITY;
ALTER TABLE sign_in_throttles FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT ON sessions TO attest_app;
GRANT UPDATE (last_seen_at, revoked_at, revoked_reason, step_up_until) ON sessions TO attest_app;
GRANT SELECT, INSERT ON session_tokens TO attest_app;
GRANT UPDATE (used_at) ON session_tokens TO attest_app;
GRANT SELECT, INSERT ON sign_in_challenges TO attest_app;
GRANT UPDATE (attempts, consumed_at, pending_secret_sealed) ON sign_in_challenges TO attest_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_throttles TO attest_app;

CREATE POLICY sessions_platform ON sessions USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY session_tokens_platform ON session_tokens USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY sign_in_challenges_platform ON sign_in_challenges USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY sign_in_throttles_platform ON sign_in_throttles USING (attest_is_platform()) WITH CHECK (attest_is_platform());
