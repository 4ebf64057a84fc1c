-- Roots of the complete aligned subtrees of each audit tree (RFC 9162) of 2^level
-- leaves, level >= 8: the subtree idx covers events idx·2^level + 1 … (idx + 1)·2^level.
-- Written by the append that completes one (service/audit/audit-log.ts), or by a proof
-- that needed one of a log older than this table (service/audit/proofs.ts). A proof
-- then reads O(log n) of these and fewer than 256 leaf hashes per node, not every leaf.
-- Append-only: a complete subtree of an append-only log never changes.
CREATE TABLE audit_subtrees (
  tenant_id uuid NOT NULL,
  level smallint NOT NULL CHECK (level BETWEEN 8 AND 62),
  idx bigint NOT NULL CHECK (idx >= 0),
  hash bytea NOT NULL CHECK (octet_length(hash) = 32),
  PRIMARY KEY (tenant_id, level, idx)
);

ALTER TABLE audit_subtrees ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_subtrees FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON audit_subtrees TO attest_app;
CREATE POLICY audit_subtrees_scope ON audit_subtrees
  USING (tenant_id = attest_scope_tenant_id())
  WITH CHECK (tenant_id = attest_scope_tenant_id());
