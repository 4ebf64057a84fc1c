/**
 * The set-based statements of `--demo large` (large-demo.ts runs them in order).
 * Every value that enters an audit leaf is generated here from a fixed alphabet
 * (letters, digits, `-_.:@`), so quoting it as '"' || v || '"' is exactly what
 * JSON.stringify does and the leaf bytes are those of shared/audit/event.ts.
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

/** $1 = count. Numbered ids for the members, so the other statements can join on a number. */
export const CREATE_LARGE_USERS = `CREATE TEMP TABLE large_users ON COMMIT DROP AS
  SELECT i, gen_random_uuid() AS id FROM generate_series(1, $1::int) AS i`;

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
 * $1 = the tenant, $2 = the first seq, $3 = count, $4 = first event (ms since the epoch), $5 = span (ms), $6 = members.
 * Each event with its erasable personal part: a random 16-byte salt (a v4 UUID's bytes: 122 random bits) and,
 * for sign-ins, the address. Commitment and leaf hash as shared/audit/event.ts computes them.
 */
export const INSERT_AUDIT_EVENTS = `WITH src AS (
    SELECT s, u.id AS user_id, (s % 8)::int AS k,
           (timestamptz 'epoch' + ($4::bigint + (s - $2::bigint) * $5::bigint / $3::bigint) * interval '1 millisecond') AS at,
           uuid_send(gen_random_uuid()) AS salt
    FROM generate_series($2::bigint, $2::bigint + $3::bigint - 1) AS s
    JOIN large_users u ON u.i = 1 + (s * 7919) % $6::int
  ), shaped AS (
    SELECT s, at, salt, user_id,
           (ARRAY['member.role_changed','session.revoked','api_token.created','member.invited','mfa.enrolled','auth.step_up','auth.step_up','session.revoked'])[1 + k] AS action,
           CASE WHEN k IN (1, 7) THEN 'session:' || gen_random_uuid() WHEN k = 2 THEN 'api_token:' || gen_random_uuid() ELSE 'user:' || user_id END AS target,
           CASE WHEN k = 0 THEN '{"from":"viewer","to":"editor"}' WHEN k = 2 THEN '{"scopes":["audit.read"]}' ELSE '{}' END AS details,
           CASE WHEN k IN (5, 6) THEN '{"ip":"203.0.113.' || (s % 254 + 1) || '"}' ELSE '{}' END AS personal,
           CASE WHEN k = 6 AND s % 3 = 0 THEN 'failure' ELSE 'success' END AS outcome
    FROM src
  ), committed AS (
    SELECT *, encode(sha256(convert_to('attest.audit.personal.v1', 'UTF8') || '\\x00'::bytea || salt || convert_to(personal, 'UTF8')), 'hex') AS commitment,
           to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at_text
    FROM shaped
  ), personal AS (
    INSERT INTO audit_personal (tenant_id, seq, salt, data)
    SELECT $1::uuid, s, rtrim(translate(encode(salt, 'base64'), '+/', '-_'), '='), personal::jsonb FROM committed
  )
  INSERT INTO audit_events (tenant_id, seq, at, actor_type, actor_id, action, target, outcome, request_id, details, personal_commitment, leaf_hash)
  SELECT $1::uuid, s, at, 'user', user_id::text, action, target, outcome, NULL, details::jsonb, commitment,
         sha256('\\x00'::bytea || convert_to(
           '{"action":"' || action || '","actor":{"id":"' || user_id || '","type":"user"},"at":"' || at_text || '","details":' || details ||
           ',"outcome":"' || outcome || '","personalCommitment":"' || commitment || '","requestId":null,"seq":' || s ||
           ',"target":"' || target || '","tenantId":"' || $1::text || '","v":1}', 'UTF8'))
  FROM committed`;

/**
 * The secondary indexes of audit_events, as their definitions: dropped for the bulk insert and built
 * again after it (a sorted build of 1,000,000 entries is several times faster than as many inserts
 * into each). Read from the catalogue, so they are exactly what the migrations made.
 */
export const AUDIT_SECONDARY_INDEXES = `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
  WHERE i.schemaname = current_schema() AND i.tablename = 'audit_events'
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.conrelid = 'audit_events'::regclass)
  ORDER BY i.indexname`;

/** Levels of the tenant's Merkle tree, built bottom-up: level l+1 pairs the complete pairs of level l. */
export const CREATE_TREE = 'CREATE TEMP TABLE large_tree (level int NOT NULL, idx bigint NOT NULL, hash bytea NOT NULL, PRIMARY KEY (level, idx)) ON COMMIT DROP';

/** $1 = the tenant. Level 1 straight from the stored leaves. */
export const TREE_LEVEL_ONE = `INSERT INTO large_tree (level, idx, hash)
  SELECT 1, (seq - 1) / 2, sha256('\\x01'::bytea || string_agg(leaf_hash, ''::bytea ORDER BY seq))
  FROM audit_events WHERE tenant_id = $1::uuid GROUP BY (seq - 1) / 2 HAVING count(*) = 2`;

/** $1 = the level to build (from the one below). */
export const TREE_LEVEL_UP = `INSERT INTO large_tree (level, idx, hash)
  SELECT $1::int, idx / 2, sha256('\\x01'::bytea || string_agg(hash, ''::bytea ORDER BY idx))
  FROM large_tree WHERE level = $1::int - 1 GROUP BY idx / 2 HAVING count(*) = 2`;

/** $1 = the tenant, $2 = the lowest stored level. Complete subtrees of 2^level >= 2^8 leaves (migration 0012). */
export const STORE_SUBTREES = `INSERT INTO audit_subtrees (tenant_id, level, idx, hash)
  SELECT $1::uuid, level, idx, hash FROM large_tree WHERE level >= $2::int ON CONFLICT DO NOTHING`;

/**
 * $1 = the tenant, $2 = tree size. The frontier: for each set bit l of the size, the subtree of level l
 * numbered (size >> l) - 1, largest first; level 0 is the last leaf itself.
 */
export const STORE_FRONTIER = `INSERT INTO audit_sequences AS q (tenant_id, next_seq, frontier)
  SELECT $1::uuid, $2::bigint + 1, coalesce(string_agg(hash, ''::bytea ORDER BY level DESC), '\\x'::bytea)
  FROM (
    SELECT level, hash FROM large_tree WHERE ((($2::bigint >> level) & 1) = 1) AND idx = ($2::bigint >> level) - 1
    UNION ALL
    SELECT 0, leaf_hash FROM audit_events WHERE tenant_id = $1::uuid AND ($2::bigint & 1) = 1 AND seq = $2::bigint
  ) AS roots
  ON CONFLICT (tenant_id) DO UPDATE SET next_seq = EXCLUDED.next_seq, frontier = EXCLUDED.frontier`;
