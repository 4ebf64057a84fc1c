import { auditLeafBytes, personalCommitment, toHex, type AuditEvent } from '../../shared/audit/event';
import type { TenantId } from '../../shared/tenants/tenant';
import { nodeMerkleHasher, restoreFrontier } from '../../service/audit/audit-log';
import { ephemeralAuditSigner } from '../../service/audit/signing-key';
import { inLog, issueTreeHead } from '../../service/audit/tree-heads';
import { recordVerifications, verifyAuditLogs } from '../../service/audit/verify-log';
import type { SqlEngine } from '../../service/db/engine';
import type { Db } from '../../service/db/db';

const userId = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/**
 * 50,000 members (every role, 70 % enrolled, some invited or deactivated) and
 * 100,000 of their sessions over the last 120 days, 1 % flagged, half of those
 * reviewed. Set-based SQL as the owning role (outside RLS), like users.list.
 */
export const seedPeople = async (raw: SqlEngine, tenant: TenantId, now: Date, counts: { members: number; sessions: number }): Promise<void> => {
  await raw.query(
    `INSERT INTO users (id, email, display_name, mfa_enrolled_at, last_sign_in_at)
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'member' || i || '@posture.bench', 'Member ' || i,
            CASE WHEN i % 10 < 7 THEN $2::timestamptz - interval '200 days' END,
            CASE WHEN i % 13 <> 0 THEN $2::timestamptz - (i % 120) * interval '1 day' END
       FROM generate_series(1, $1::int) AS i`,
    [counts.members, now],
  );
  await raw.query(
    `INSERT INTO memberships (tenant_id, user_id, role, status, created_at)
     SELECT $1::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
            (ARRAY['owner', 'admin', 'editor', 'reviewer', 'viewer'])[1 + (i % 5)],
            CASE WHEN i % 50 = 0 THEN 'deactivated' WHEN i % 33 = 0 THEN 'invited' ELSE 'active' END,
            $3::timestamptz - interval '300 days'
       FROM generate_series(1, $2::int) AS i`,
    [tenant, counts.members, now],
  );
  await raw.query(
    `INSERT INTO sessions (id, user_id, created_at, last_seen_at, idle_timeout_seconds, absolute_expires_at, ip, user_agent, anomaly_flags)
     SELECT ('10000000-0000-4000-8000-' || lpad(to_hex(j), 12, '0'))::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(1 + j % $1), 12, '0'))::uuid,
            $3::timestamptz - (j % 120) * interval '1 day', $3::timestamptz - (j % 120) * interval '1 day' + interval '1 hour', 1209600,
            $3::timestamptz - (j % 120) * interval '1 day' + interval '30 days', '10.0.' || (j % 250) || '.' || (j % 7), 'Bench/1.0',
            CASE WHEN j % 100 = 0 THEN ARRAY['new_ip']::text[] ELSE '{}'::text[] END
       FROM generate_series(1, $2::int) AS j`,
    [counts.members, counts.sessions, now],
  );
  await raw.query(
    `INSERT INTO session_flag_reviews (tenant_id, session_id, outcome, reviewed_at)
     SELECT $1::uuid, f.id, 'expected', f.created_at + interval '1 day'
       FROM (SELECT s.id, s.created_at, row_number() OVER (ORDER BY s.id) AS n FROM sessions s
              WHERE cardinality(s.anomaly_flags) > 0 AND s.user_agent = 'Bench/1.0') f
      WHERE f.n % 2 = 0`,
    [tenant],
  );
};

/** A busy tenant's mix; a refresh token reused (theft detected) is rare: one event in 1,000. */
const ACTIONS = ['auth.login', 'session.revoked', 'member.role_changed', 'auth.login_failed', 'tenant.updated', 'member.invited'];
const actionOf = (seq: number): string => (seq % 1000 === 0 ? 'session.refresh_reuse' : ACTIONS[seq % ACTIONS.length]!);

/**
 * `count` events appended to the tenant's log after what it holds, as real log
 * rows: each leaf hash computed from the event's canonical bytes and the tree
 * state (frontier) advanced over them, so `audit verify` recomputes and accepts
 * the log. Shortcuts: the rows are inserted in bulk rather than one
 * appendAuditEvent at a time; their personal parts are left out (as if erased:
 * the commitment stays in each leaf); the stored subtrees that speed up
 * inclusion proofs are not written (no evaluator reads them). Times run 0.5 s
 * apart and end before `now`.
 */
export const seedAuditLog = async (raw: SqlEngine, tenant: TenantId, count: number, now: Date): Promise<void> => {
  const hasher = nodeMerkleHasher();
  const [state] = await raw.query<{ next_seq: string | number; frontier: Uint8Array }>('SELECT next_seq, frontier FROM audit_sequences WHERE tenant_id = $1', [tenant]);
  const size = state ? Number(state.next_seq) - 1 : 0;
  const frontier = restoreFrontier(size, state?.frontier ?? new Uint8Array());
  const commitment = personalCommitment({ salt: 'AAAAAAAAAAAAAAAAAAAAAA', data: {} });
  const start = now.getTime() - count * 500 - 3_600_000;
  const CHUNK = 20_000;
  const leaf = new Uint8Array(32);
  for (let from = size + 1; from <= size + count; from += CHUNK) {
    const to = Math.min(size + count, from + CHUNK - 1);
    const cols = { seq: [] as string[], at: [] as string[], actor: [] as string[], action: [] as string[], target: [] as string[], req: [] as string[], details: [] as string[], leaf: [] as string[] };
    for (let seq = from; seq <= to; seq++) {
      const event: Omit<AuditEvent, 'personal'> = {
        tenantId: tenant,
        seq,
        at: new Date(start + (seq - size) * 500).toISOString(),
        actor: { type: 'user', id: userId(1 + (seq % 500)) },
        action: actionOf(seq),
        target: `session:${userId(seq % 10_000)}`,
        outcome: 'success',
        requestId: `req-${seq}`,
        details: { n: seq },
        personalCommitment: commitment,
      };
      hasher.leafInto(auditLeafBytes(event), leaf, 0);
      frontier.append(leaf);
      cols.seq.push(String(seq));
      cols.at.push(event.at);
      cols.actor.push(event.actor.id);
      cols.action.push(event.action);
      cols.target.push(event.target);
      cols.req.push(event.requestId!);
      cols.details.push(JSON.stringify(event.details));
      cols.leaf.push(toHex(leaf));
    }
    await raw.query(
      `INSERT INTO audit_events (tenant_id, seq, at, actor_type, actor_id, action, target, outcome, request_id, details, personal_commitment, leaf_hash)
       SELECT $1::uuid, s, a, 'user', ac, act, tg, 'success', rq, d::jsonb, $10, decode(l, 'hex')
         FROM unnest($2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS u(s, a, ac, act, tg, rq, d, l)`,
      [tenant, cols.seq, cols.at, cols.actor, cols.action, cols.target, cols.req, cols.details, cols.leaf, commitment],
    );
  }
  const bytes = Buffer.concat(frontier.hashes().map((h) => Buffer.from(h)));
  await raw.query(
    `INSERT INTO audit_sequences (tenant_id, next_seq, frontier) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id) DO UPDATE SET next_seq = $2, frontier = $3`,
    [tenant, size + count + 1, bytes],
  );
};

/** What makes audit.integrity pass honestly: `audit verify` recomputes the whole log from storage, records it, and a head is signed over it. */
export const verifyAndSign = async (db: Db, tenant: TenantId, now: Date): Promise<number> => {
  const results = await verifyAuditLogs(db, tenant);
  const bad = results.find((r) => r.problem);
  if (bad) throw new Error(`the seeded log does not verify: ${bad.problem?.message}`);
  await recordVerifications(db, results, { type: 'system', id: 'bench' });
  await inLog(db, tenant, (tx) => issueTreeHead(tx, ephemeralAuditSigner(), now));
  return results[0]?.events ?? 0;
};
