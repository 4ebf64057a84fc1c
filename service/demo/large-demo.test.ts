import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex } from '../../shared/audit/event';
import { rootOfLeafHashes, verifyInclusion } from '../../shared/audit/merkle';
import { appendAuditEvent, currentTree, nodeMerkleHasher } from '../audit/audit-log';
import { proveInclusion } from '../audit/proofs';
import { verifyAuditLogs } from '../audit/verify-log';
import { openTestDatabase, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { seedLargeDemo, type LargeDemoResult } from './large-demo';

// Odd, and past 2^9: the frontier ends in a lone leaf and subtrees of levels 8 and 9 are stored; inserted
// 500 at a time, so batches end inside subtrees and the last one is short.
const SIZES = { members: 300, sessions: 700, auditEvents: 1_337, incidents: 25 };
const OFFICER = '11111111-2222-4333-8444-555555555555';

describe.each(TEST_ENGINES)('--demo large on %s', (kind) => {
  let t: TestDatabase;
  let seeded: LargeDemoResult;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    seeded = await seedLargeDemo(t.db, { officerUserId: OFFICER, sizes: SIZES, auditBatch: 500, progress: (l) => lines.push(l) });
  });
  afterAll(() => t.dispose());

  const count = async (sql: string): Promise<number> => Number((await t.engine.query<{ n: string }>(sql, [seeded.tenant.id]))[0]?.n);

  it('writes the members, sessions, incidents and audit events it promises, and says so step by step', async () => {
    expect(await count("SELECT count(*) AS n FROM memberships WHERE tenant_id = $1")).toBe(300);
    expect(await count('SELECT count(*) AS n FROM sessions s JOIN memberships m ON m.user_id = s.user_id WHERE m.tenant_id = $1')).toBe(700);
    expect(await count('SELECT count(*) AS n FROM incident_tenants WHERE tenant_id = $1')).toBe(25);
    expect(await count('SELECT count(*) AS n FROM audit_events WHERE tenant_id = $1')).toBe(1_337);
    expect(await count('SELECT count(*) AS n FROM audit_personal WHERE tenant_id = $1')).toBe(1_337);
    // The directory's counters (kept by triggers) agree with the rows.
    expect(await count('SELECT enrolled + not_enrolled AS n FROM tenant_member_counts WHERE tenant_id = $1')).toBe(
      await count("SELECT count(*) AS n FROM memberships WHERE tenant_id = $1 AND status = 'active'"),
    );
    expect(lines.some((l) => /1,337 audit events in \d+\.\d s/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^large demo: done in \d+\.\d s$/);
  });

  it('puts back what it set aside for the bulk load: the audit indexes and keys, and the member-count trigger', async () => {
    const indexes = await t.engine.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename IN ('audit_events', 'audit_personal') ORDER BY 1");
    expect(indexes.map((i) => i.indexname)).toEqual([
      'audit_events_action',
      'audit_events_actor',
      'audit_events_at',
      'audit_events_pkey',
      'audit_events_target',
      'audit_personal_pkey',
    ]);
    const keys = await t.engine.query<{ conname: string }>(
      "SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid IN ('audit_events'::regclass, 'audit_personal'::regclass) ORDER BY 1",
    );
    expect(keys.map((k) => k.conname)).toEqual(['audit_events_pkey', 'audit_personal_pkey']);
    const [trigger] = await t.engine.query<{ tgenabled: string }>("SELECT tgenabled FROM pg_trigger WHERE tgname = 'memberships_counts'");
    expect(trigger?.tgenabled).toBe('O');
  });

  it('leaves a log that verifies whole: every leaf, commitment and the stored tree state', async () => {
    const [result] = await verifyAuditLogs(t.db, seeded.tenant.id);
    expect(result).toMatchObject({ events: 1_337, problem: null });
  });

  it('stores each complete subtree of 256 and 512 leaves as appends would, and proofs from them check', async () => {
    const leaves = (await t.engine.query<{ leaf_hash: Uint8Array }>('SELECT leaf_hash FROM audit_events WHERE tenant_id = $1 ORDER BY seq', [seeded.tenant.id])).map(
      (r) => Uint8Array.from(r.leaf_hash),
    );
    const hasher = nodeMerkleHasher();
    const stored = await t.engine.query<{ level: number; idx: string; hash: Uint8Array }>(
      'SELECT level, idx, hash FROM audit_subtrees WHERE tenant_id = $1 ORDER BY level, idx',
      [seeded.tenant.id],
    );
    expect(stored.map((s) => `${s.level}:${s.idx}`)).toEqual(['8:0', '8:1', '8:2', '8:3', '8:4', '9:0', '9:1', '10:0']);
    for (const s of stored) {
      const size = 2 ** s.level;
      expect(Uint8Array.from(s.hash)).toEqual(rootOfLeafHashes(leaves, Number(s.idx) * size, (Number(s.idx) + 1) * size, hasher));
    }
    const { root } = await t.db.tenant(seeded.tenant.id, currentTree);
    expect(root).toEqual(rootOfLeafHashes(leaves, 0, leaves.length, hasher));
    const proof = await t.db.tenant(seeded.tenant.id, (tx) => proveInclusion(tx, 700, 1_337));
    expect(verifyInclusion(leaves[699]!, 699, 1_337, proof.path.map(fromHex), root, hasher)).toEqual({ ok: true });
  });

  it('goes on as a normal log: the next append is event 1,338, after the history in time, and the log still verifies', async () => {
    const event = await t.db.tenant(seeded.tenant.id, (tx) =>
      appendAuditEvent(tx, { actor: { type: 'system', id: 'test' }, action: 'thing.done', target: 'thing:1' }),
    );
    expect(event.seq).toBe(1_338);
    const [last] = await t.engine.query<{ at: Date }>('SELECT max(at) AS at FROM audit_events WHERE tenant_id = $1 AND seq < 1338', [seeded.tenant.id]);
    expect(Date.parse(event.at)).toBeGreaterThanOrEqual(new Date(last!.at).getTime());
    const [result] = await verifyAuditLogs(t.db, seeded.tenant.id);
    expect(result).toMatchObject({ events: 1_338, problem: null });
  });

  it('records the seeding in the platform log', async () => {
    const [row] = await t.engine.query<{ details: Record<string, number> }>(
      "SELECT details FROM audit_events WHERE tenant_id = '00000000-0000-0000-0000-000000000000' AND action = 'demo.large_seeded'",
    );
    expect(row?.details).toEqual({ members: 300, sessions: 700, auditEvents: 1_337, incidents: 25 });
  });
});
