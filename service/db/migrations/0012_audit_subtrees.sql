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

-- The write of an append (service/audit/audit-log.ts) as one function: PL/pgSQL keeps
-- the plans of its statements for the session, where a statement sent each time is
-- planned each time (about 40% of an append's time on PGlite). SECURITY INVOKER, so
-- row-level security applies as to the caller's own statements.
-- With p_expected, the state row is written only where it still holds that frontier
-- and p_seq (re-checked after any lock wait), and nothing is written otherwise (false);
-- without it, the caller holds the row's lock and has read the state it builds on.
CREATE FUNCTION attest_append_audit_event(
  p_tenant uuid, p_seq bigint, p_at timestamptz, p_actor_type text, p_actor_id text, p_action text, p_target text,
  p_outcome text, p_request_id text, p_details jsonb, p_commitment text, p_leaf bytea, p_salt text, p_personal jsonb,
  p_frontier bytea, p_expected bytea
) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF p_expected IS NULL THEN
    UPDATE audit_sequences SET next_seq = p_seq + 1, frontier = p_frontier WHERE tenant_id = p_tenant AND next_seq = p_seq;
  ELSE
    UPDATE audit_sequences SET next_seq = p_seq + 1, frontier = p_frontier WHERE tenant_id = p_tenant AND next_seq = p_seq AND frontier = p_expected;
  END IF;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  INSERT INTO audit_events (tenant_id, seq, at, actor_type, actor_id, action, target, outcome, request_id, details, personal_commitment, leaf_hash)
    VALUES (p_tenant, p_seq, p_at, p_actor_type, p_actor_id, p_action, p_target, p_outcome, p_request_id, p_details, p_commitment, p_leaf);
  INSERT INTO audit_personal (tenant_id, seq, salt, data) VALUES (p_tenant, p_seq, p_salt, p_personal);
  RETURN true;
END
$$;
GRANT EXECUTE ON FUNCTION attest_append_audit_event TO attest_app;
