import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLeafBytes, toHex } from '../../shared/audit/event';
import { rootOfLeaves } from '../../shared/audit/merkle';
import { createTestTenant } from '../testing/identity-fixtures';
import { openTestDatabase, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { appendAuditEvent, currentTree, listAuditEvents } from './audit-log';
import { backfillAuditLeaves } from './backfill';
import { verifyAuditLogs } from './verify-log';

const actor = { type: 'system', id: 'test' } as const;

describe.each(TEST_ENGINES)('audit rows from before the Merkle tree on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(() => t.dispose());

  it('get leaf hashes, commitments and a frontier at start, and the log then verifies and grows', async () => {
    const tenant = await createTestTenant(t.db, 'Legacy');
    // What migration 0004's writer left: microsecond times, no commitment, no leaf hash, no frontier.
    for (let seq = 1; seq <= 5; seq++) {
      await t.engine.query(
        `INSERT INTO audit_events (tenant_id, seq, at, actor_type, actor_id, action, target, outcome, details)
         VALUES ($1, $2::bigint, now() + $2::int * interval '1.234567 second', 'operator', 'op', 'thing.done', $3, 'success', $4::jsonb)`,
        [tenant, seq, `thing:${seq}`, JSON.stringify({ ip: '192.0.2.1', n: seq })],
      );
    }
    await t.engine.query('INSERT INTO audit_sequences (tenant_id, next_seq) VALUES ($1, 6)', [tenant]);
    expect(await backfillAuditLeaves(t.engine)).toBe(1);
    expect(await backfillAuditLeaves(t.engine)).toBe(0);

    const events = await t.db.tenant(tenant, listAuditEvents);
    expect(events.map((e) => [e.seq, e.details, e.personal?.data])).toEqual([1, 2, 3, 4, 5].map((n) => [n, { ip: '192.0.2.1', n }, {}]));
    expect(events.every((e) => /\.\d{3}Z$/.test(e.at))).toBe(true);
    expect(toHex((await t.db.tenant(tenant, currentTree)).root)).toBe(toHex(rootOfLeaves(events.map(auditLeafBytes))));
    await t.db.tenant(tenant, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:6' }));
    expect(await verifyAuditLogs(t.db, tenant)).toEqual([{ tenantId: tenant, events: 6, heads: 0, problem: null }]);
  });
});
