-- The audit log becomes a Merkle tree per tenant (RFC 9162), see service/audit/.
-- Each event stores its leaf hash and a commitment to its personal data; the
-- personal data itself sits in audit_personal, the only audit table the service
-- may delete from (erasure). Rows of events written before this migration get
-- their commitment and leaf hash at the next start (service/audit/backfill.ts).
ALTER TABLE audit_events
  ADD COLUMN personal_commitment text CHECK (personal_commitment ~ '^[0-9a-f]{64}$'),
  ADD COLUMN leaf_hash bytea CHECK (octet_length(leaf_hash) = 32);
-- The time is made in the service, at millisecond precision, exactly as it is hashed.
ALTER TABLE audit_events ALTER COLUMN at DROP DEFAULT;

-- Filters of GET …/audit/events; the primary key (tenant_id, seq) serves the cursor.
CREATE INDEX audit_events_at ON audit_events (tenant_id, at, seq);
CREATE INDEX audit_events_actor ON audit_events (tenant_id, actor_id, seq);
CREATE INDEX audit_events_action ON audit_events (tenant_id, action, seq);
CREATE INDEX audit_events_target ON audit_events (tenant_id, target text_pattern_ops, seq);

-- Erasable personal data of an event: salt and data under the event's commitment.
CREATE TABLE audit_personal (
  tenant_id uuid NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  salt text NOT NULL CHECK (salt ~ '^[A-Za-z0-9_-]{22}$'),
  data jsonb NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);

-- The tree state lives on the sequence row, whose lock already serialises appenders:
-- the perfect-subtree roots of the tree of next_seq - 1 leaves, 32 bytes each.
ALTER TABLE audit_sequences ADD COLUMN frontier bytea NOT NULL DEFAULT '\x'::bytea CHECK (octet_length(frontier) % 32 = 0);

-- Signed tree heads: append-only.
CREATE TABLE audit_tree_heads (
  tenant_id uuid NOT NULL,
  tree_size bigint NOT NULL CHECK (tree_size >= 0),
  root_hash text NOT NULL CHECK (root_hash ~ '^[0-9a-f]{64}$'),
  issued_at timestamptz NOT NULL,
  key_id text NOT NULL CHECK (key_id ~ '^[0-9a-f]{16}$'),
  signature text NOT NULL,
  PRIMARY KEY (tenant_id, tree_size)
);

-- The public halves of the audit signing keys, current and retired (platform-level).
CREATE TABLE audit_signing_keys (
  key_id text PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{16}$'),
  public_key bytea NOT NULL CHECK (octet_length(public_key) = 32),
  created_at timestamptz NOT NULL,
  retired_at timestamptz
);

ALTER TABLE audit_personal ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_personal FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_tree_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_tree_heads FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_signing_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_signing_keys FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, DELETE ON audit_personal TO attest_app;
GRANT SELECT, INSERT ON audit_tree_heads TO attest_app;
GRANT SELECT, INSERT ON audit_signing_keys TO attest_app;
GRANT UPDATE (retired_at) ON audit_signing_keys TO attest_app;

CREATE POLICY audit_personal_scope ON audit_personal
  USING (tenant_id = attest_scope_tenant_id())
  WITH CHECK (tenant_id = attest_scope_tenant_id());
CREATE POLICY audit_tree_heads_scope ON audit_tree_heads
  USING (tenant_id = attest_scope_tenant_id())
  WITH CHECK (tenant_id = attest_scope_tenant_id());
-- The platform scope sees every tree's size and heads (no event content): the
-- tree-head timer and `audit verify` find the logs that grew from there.
CREATE POLICY audit_sequences_platform_read ON audit_sequences FOR SELECT USING (attest_is_platform());
CREATE POLICY audit_tree_heads_platform_read ON audit_tree_heads FOR SELECT USING (attest_is_platform());
-- Public keys: anyone may read them; only the platform scope publishes or retires one.
CREATE POLICY audit_signing_keys_read ON audit_signing_keys FOR SELECT USING (true);
CREATE POLICY audit_signing_keys_insert ON audit_signing_keys FOR INSERT WITH CHECK (attest_is_platform());
CREATE POLICY audit_signing_keys_retire ON audit_signing_keys FOR UPDATE USING (attest_is_platform()) WITH CHECK (attest_is_platform());
