-- The operator's staff and their API tokens: platform tables, invisible in tenant scope.
CREATE TABLE operators (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE operator_tokens (
  id uuid PRIMARY KEY,
  operator_id uuid NOT NULL REFERENCES operators (id),
  -- Only the SHA-256 of a token is stored; the token itself is shown once.
  token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX operator_tokens_operator ON operator_tokens (operator_id);

ALTER TABLE operators ENABLE ROW LEVEL SECURITY;
ALTER TABLE operators FORCE ROW LEVEL SECURITY;
ALTER TABLE operator_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE operator_tokens FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT ON operators TO attest_app;
GRANT SELECT, INSERT ON operator_tokens TO attest_app;
GRANT UPDATE (last_used_at) ON operator_tokens TO attest_app;

CREATE POLICY operators_platform ON operators
  USING (attest_is_platform())
  WITH CHECK (attest_is_platform());
CREATE POLICY operator_tokens_platform ON operator_tokens
  USING (attest_is_platform())
  WITH CHECK (attest_is_platform());
