/**
 * The statements of `--demo large` (large-demo.ts runs them in order): people, sessions and
 * incidents generated set-based in SQL; the audit log made in Node and inserted in batches.
 */

const FIRST = ['Ada', 'Ben', 'Chloe', 'Dmitri', 'Elif', 'Farah', 'Goran', 'Hana', 'Ivan', 'Jia', 'Kofi', 'Lena', 'Mateo', 'Nia', 'Omar', 'Pia', 'Quinn', 'Rosa', 'Sven', 'Tomas'];
const LAST = ['Adams', 'Baptiste', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jansen', 'Kowalski', 'Larsen', 'Moreno', 'Novak', 'Okoro', 'Petrov', 'Quist', 'Rossi', 'Silva', 'Tanaka', 'Ueda', 'Varga', 'Weber', 'Xu', 'Young'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
];
const TITLES = ['Elevated error rate on', 'Suspicious sign-ins to', 'Certificate expiry warning for', 'Misconfigured access policy on', 'Degraded latency in', 'Unexpected data export from'];
const SYSTEMS = ['the billing API', 'the reporting cluster', 'the SSO bridge', 'object storage', 'the EU edge', 'the audit exporter', 'the mobile API'];

const textArray = (values: readonly string[]): string => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`;
const pick = (values: readonly string[], index: string): string => `(${textArray(values)})[1 + (${index}) % ${values.length}]`;

/** $1 = the members' ids (made in Node, which names them as actors of the audit log), numbered so the other statements can join on a number. */
export const CREATE_LARGE_USERS = `CREATE TEMP TABLE large_users ON COMMIT DROP AS
  SELECT i::int AS i, id FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, i)`;

/** $1 = now, $2 = the tenant. Accounts, then memberships (their triggers fill the directory columns and counts). */
export const INSERT_USERS = `INSERT INTO users (id, email, display_name, status, mfa_enrolled_at, created_at, last_sign_in_at)
  SELECT id,
         lower(${pick(FIRST, 'i')} || '.' || ${pick(LAST, 'i / 20')}) || '.' || i || '@megacorp.example',
         ${pick(FIRST, 'i')} || ' ' || ${pick(LAST, 'i / 20')},
         'active',
         CASE WHEN i % 10 = 0 THEN NULL ELSE $1::timestamptz - ((i % 600) + 30) * interval '1 day' END,
         $1::timestamptz - ((i % 600) + 31) * interval '1 day',
         CASE WHEN i % 17 = 0 THEN NULL ELSE $1::timestamptz - (i % 2880) * interval '15 minutes' END
  FROM large_users`;

/**
 * The member counters (migration 0011) are kept by a row trigger that updates one row per tenant:
 * 50,000 updates of one row in one transaction walk an ever longer version chain (quadratic).
 * The seed adds them set-based instead, with that trigger off for its own insert only (as the
 * tables' owner, inside the transaction: a rollback turns it back on).
 */
export const COUNTS_TRIGGER_OFF = 'ALTER TABLE memberships DISABLE TRIGGER memberships_counts';
export const COUNTS_TRIGGER_ON = 'ALTER TABLE memberships ENABLE TRIGGER memberships_counts';

/** $1 = the tenant. */
export const ADD_MEMBER_COUNTS = `SELECT attest_member_counts_add($1::uuid, status, mfa_enrolled, count(*)::int)
  FROM memberships WHERE tenant_id = $1::uuid GROUP BY status, mfa_enrolled`;

export const INSERT_MEMBERSHIPS = `INSERT INTO memberships (tenant_id, user_id, role, created_at, status, status_changed_at)
  SELECT $2::uuid, id,
         CASE WHEN i <= 3 THEN 'owner' WHEN i % 100 = 0 THEN 'admin' WHEN i % 7 = 0 THEN 'reviewer' WHEN i % 3 = 0 THEN 'editor' ELSE 'viewer' END,
         $1::timestamptz - ((i % 600) + 30) * interval '1 day',
         CASE WHEN i % 97 = 0 THEN 'deactivated' ELSE 'active' END,
         CASE WHEN i % 97 = 0 THEN $1::timestamptz - (i % 60) * interval '1 day' END
  FROM large_users`;

/** $1 = now, $2 = count, $3 = members. Mostly live sessions, two per member, a few revoked or flagged. */
export const INSERT_SESSIONS = `INSERT INTO sessions (id, user_id, created_at, last_seen_at, idle_timeout_seconds, absolute_expires_at, ip, user_agent,
                      revoked_at, revoked_reason, anomaly_flags)
  SELECT gen_random_uuid(), u.id,
         $1::timestamptz - (k % 20) * interval '1 day' - (k % 1440) * interval '1 minute',
         $1::timestamptz - (k % 4320) * interval '1 minute',
         1209600,
         $1::timestamptz - (k % 20) * interval '1 day' + interval '30 days',
         '203.0.113.' || (k % 254 + 1),
         ${pick(AGENTS, 'k')},
         CASE WHEN k % 25 = 0 THEN $1::timestamptz - (k % 600) * interval '1 minute' END,
         CASE WHEN k % 25 = 0 THEN 'revoked' END,
         CASE WHEN k % 53 = 0 THEN ARRAY['new_device']::text[] WHEN k % 89 = 0 THEN ARRAY['new_ip', 'after_failures']::text[] ELSE '{}'::text[] END
  FROM generate_series(1, $2::int) AS k JOIN large_users u ON u.i = 1 + (k - 1) % $3::int`;

/** $1 = now, $2 = count, $3 = the tenant, $4 = the commander. Platform incidents linked to the tenant, numbered on the change feed. */
export const INSERT_INCIDENTS = `WITH counter AS (
    UPDATE incident_change_counter SET last_seq = last_seq + $2::int RETURNING last_seq - $2::int AS base
  ), made AS (
    INSERT INTO incidents (id, title, description, severity, status, commander_id, personal_data, detected_at, aware_at, classified_at,
                           resolved_at, version, change_seq, created_at, updated_at)
    SELECT gen_random_uuid(),
           ${pick(TITLES, 'n')} || ' ' || ${pick(SYSTEMS, 'n / 6')} || ' (#' || n || ')',
           'Generated for the large demo.',
           (ARRAY['P0','P1','P2','P3'])[1 + (CASE WHEN n % 50 = 0 THEN 0 WHEN n % 10 = 0 THEN 1 WHEN n % 3 = 0 THEN 2 ELSE 3 END)],
           CASE WHEN n <= 40 THEN (ARRAY['detected','triaged','contained'])[1 + n % 3] WHEN n % 5 = 0 THEN 'review_published' ELSE 'resolved' END,
           CASE WHEN n % 4 = 0 THEN $4::uuid END,
           n % 9 = 0,
           $1::timestamptz - (n * 3) * interval '1 hour',
           $1::timestamptz - (n * 3) * interval '1 hour' + interval '10 minutes',
           $1::timestamptz - (n * 3) * interval '1 hour' + interval '20 minutes',
           CASE WHEN n <= 40 THEN NULL ELSE $1::timestamptz - (n * 3) * interval '1 hour' + interval '6 hours' END,
           1, (SELECT base FROM counter) + n,
           $1::timestamptz - (n * 3) * interval '1 hour',
           $1::timestamptz - (n * 3) * interval '1 hour' + interval '6 hours'
    FROM generate_series(1, $2::int) AS n
    RETURNING id
  )
  INSERT INTO incident_tenants (tenant_id, incident_id) SELECT $3::uuid, id FROM made`;

/**
 * One batch of the audit history made in Node (large-demo-audit.ts): $1 = the tenant, $2 = its first seq,
 * $3… = its columns as arrays, $10 = the leaf hashes packed 32 bytes apiece.
 */
export const INSERT_AUDIT_BATCH = `INSERT INTO audit_events (tenant_id, seq, at, actor_type, actor_id, action, target, outcome, request_id, details, personal_commitment, leaf_hash)
  SELECT $1::uuid, $2::bigint + n - 1, at::timestamptz, 'user', actor_id, action, target, outcome, NULL, details::jsonb, commitment,
         substring($10::bytea FROM (n::int - 1) * 32 + 1 FOR 32)
  FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       WITH ORDINALITY AS e(at, actor_id, action, target, outcome, details, commitment, n)`;

/** The batch's erasable personal parts: $1 = the tenant, $2 = its first seq, $3 = salts, $4 = data (JSON). */
export const INSERT_PERSONAL_BATCH = `INSERT INTO audit_personal (tenant_id, seq, salt, data)
  SELECT $1::uuid, $2::bigint + n - 1, salt, data::jsonb FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS p(salt, data, n)`;

/**
 * Every index of the audit tables (primary keys as their constraints), as a statement that drops it
 * and one that builds it again: dropped for the bulk insert and built after it (a sorted build of
 * 1,000,000 entries is several times cheaper than as many inserts into each). Read from the catalogue,
 * so they are exactly what the migrations made; no foreign key refers to these keys.
 */
export const AUDIT_INDEXES = `SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', t.relname, c.conname) AS drop, format('ALTER TABLE %I ADD CONSTRAINT %I %s', t.relname, c.conname, pg_get_constraintdef(c.oid)) AS build
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
    WHERE c.contype = 'p' AND c.conrelid IN ('audit_events'::regclass, 'audit_personal'::regclass)
  UNION ALL
  SELECT format('DROP INDEX %I', i.indexname), i.indexdef FROM pg_indexes i
    WHERE i.schemaname = current_schema() AND i.tablename IN ('audit_events', 'audit_personal')
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.conrelid IN ('audit_events'::regclass, 'audit_personal'::regclass))
  ORDER BY 2`;

/** $1 = the tenant, $2 = levels, $3 = indexes, $4 = hashes packed 32 bytes apiece: the complete subtrees of 2^8 leaves or more (migration 0012). */
export const STORE_SUBTREES = `INSERT INTO audit_subtrees (tenant_id, level, idx, hash)
  SELECT $1::uuid, level, idx, substring($4::bytea FROM (n::int - 1) * 32 + 1 FOR 32)
  FROM unnest($2::smallint[], $3::bigint[]) WITH ORDINALITY AS t(level, idx, n)
  ON CONFLICT DO NOTHING`;

/** $1 = the tenant, $2 = the next seq, $3 = the frontier: the tree state the next append continues from. */
export const STORE_FRONTIER = `INSERT INTO audit_sequences AS q (tenant_id, next_seq, frontier) VALUES ($1::uuid, $2::bigint, $3::bytea)
  ON CONFLICT (tenant_id) DO UPDATE SET next_seq = EXCLUDED.next_seq, frontier = EXCLUDED.frontier`;
