import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TenantId } from '../../shared/tenants/tenant';
import { PLATFORM_TENANT_ID } from '../db/db';
import { createTenant } from '../tenants/tenant-repository';
import { openTestDatabase, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { auditLeafBytes, personalCommitment, personalDataMismatch, toHex } from '../../shared/audit/event';
import { leafHash, MerkleFrontier, rootOfLeaves } from '../../shared/audit/merkle';
import { verifyAuditLogs } from './verify-log';
import { appendAuditEvent, currentTree, erasePersonalAuditData, listAuditEvents } from './audit-log';

const actor = { type: 'operator', id: 'op-1' } as const;

describe.each(TEST_ENGINES)('audit log on %s', (kind) => {
  let t: TestDatabase;
  const newTenant = (name: string): Promise<TenantId> =>
    t.db.platform(async (tx) => (await createTenant(tx, { name, region: 'eu', plan: 'team' }, actor)).id);

  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(() => t.dispose());

  it('numbers each tenant’s events 1, 2, 3… independently', async () => {
    const x = await newTenant('X');
    const y = await newTenant('Y');
    for (const id of [x, y, x, x]) await t.db.tenant(id, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 't' }));
    expect((await t.db.tenant(x, listAuditEvents)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await t.db.tenant(y, listAuditEvents)).map((e) => e.seq)).toEqual([1]);
  });

  it('stores who, what, when, outcome, request id and details', async () => {
    const x = await newTenant('Details');
    const event = await t.db.tenant(x, (tx) =>
      appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:1', outcome: 'denied', requestId: 'req-1', details: { why: 'test' } }),
    );
    expect(event).toMatchObject({ tenantId: x, seq: 1, actor, action: 'thing.done', target: 'thing:1', outcome: 'denied', requestId: 'req-1', details: { why: 'test' } });
    expect(Date.now() - new Date(event.at).getTime()).toBeLessThan(60_000);
  });

  it('leaves no gap when a transaction rolls back', async () => {
    const x = await newTenant('Rollback');
    await t.db.tenant(x, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: '1' }));
    await expect(
      t.db.tenant(x, async (tx) => {
        await appendAuditEvent(tx, { actor, action: 'thing.done', target: 'lost' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await t.db.tenant(x, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: '2' }));
    expect((await t.db.tenant(x, listAuditEvents)).map((e) => [e.seq, e.target])).toEqual([
      [1, '1'],
      [2, '2'],
    ]);
  });

  it('gives concurrent appenders distinct, contiguous numbers', async () => {
    const x = await newTenant('Concurrent');
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => t.db.tenant(x, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: String(i) }))),
    );
    expect((await t.db.tenant(x, listAuditEvents)).map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('commits a mutation and its event together or not at all', async () => {
    const before = await t.db.platform(listAuditEvents);
    await expect(
      t.db.platform(async (tx) => {
        await createTenant(tx, { name: 'Never', region: 'us', plan: 'free' }, actor);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const after = await t.db.platform(listAuditEvents);
    expect(after.length).toBe(before.length);
    expect(await t.db.platform((tx) => tx.query("SELECT 1 FROM tenants WHERE name = 'Never'"))).toEqual([]);

    const created = await newTenant('Recorded');
    const events = await t.db.platform(listAuditEvents);
    expect(events.at(-1)).toMatchObject({ tenantId: PLATFORM_TENANT_ID, action: 'tenant.created', target: `tenant:${created}` });
  });

  it('stores each event’s leaf hash over its canonical bytes, and keeps the tree root current', async () => {
    const x = await newTenant('Tree');
    const appended = [];
    for (let i = 0; i < 7; i++) {
      appended.push(await t.db.tenant(x, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: `thing:${i}`, details: { i } })));
      const events = await t.db.tenant(x, listAuditEvents);
      const tree = await t.db.tenant(x, currentTree);
      expect(tree.size).toBe(i + 1);
      expect(toHex(tree.root)).toBe(toHex(rootOfLeaves(events.map(auditLeafBytes))));
    }
    const stored = await t.engine.query<{ seq: string; leaf_hash: Uint8Array; at: Date }>(
      'SELECT seq, leaf_hash, at FROM audit_events WHERE tenant_id = $1 ORDER BY seq',
      [x],
    );
    expect(stored.map((r) => toHex(Uint8Array.from(r.leaf_hash)))).toEqual(appended.map((e) => toHex(leafHash(auditLeafBytes(e)))));
    // The stored time is the hashed one, to the millisecond.
    expect(stored.map((r) => new Date(r.at).toISOString())).toEqual(appended.map((e) => e.at));
  });

  it('keeps personal data out of the leaf, under a salted commitment, and erasable without breaking the tree', async () => {
    const x = await newTenant('Personal');
    const a = await t.db.tenant(x, (tx) =>
      appendAuditEvent(tx, { actor, action: 'auth.login', target: 'user:1', details: { method: 'totp' }, personal: { ip: '198.51.100.7', email: 'ada@example.com' } }),
    );
    const b = await t.db.tenant(x, (tx) => appendAuditEvent(tx, { actor, action: 'auth.login', target: 'user:1', personal: { ip: '198.51.100.7', email: 'ada@example.com' } }));
    expect(new TextDecoder().decode(auditLeafBytes(a))).not.toMatch(/198\.51|ada@/);
    expect(a.personal?.data).toEqual({ ip: '198.51.100.7', email: 'ada@example.com' });
    expect(personalCommitment(a.personal!)).toBe(a.personalCommitment);
    // Fresh salt per event: equal personal data gives unrelated commitments.
    expect(a.personalCommitment).not.toBe(b.personalCommitment);
    const rootBefore = toHex((await t.db.tenant(x, currentTree)).root);

    expect(await t.db.tenant(x, (tx) => erasePersonalAuditData(tx, [1]))).toBe(1);
    const [erased, kept] = await t.db.tenant(x, listAuditEvents);
    expect(erased).toMatchObject({ seq: 1, personal: null, personalCommitment: a.personalCommitment, details: { method: 'totp' } });
    expect(kept?.personal?.data).toEqual({ email: 'ada@example.com', ip: '198.51.100.7' });
    expect(personalDataMismatch(erased!)).toBeNull();
    const events = await t.db.tenant(x, listAuditEvents);
    expect(toHex(rootOfLeaves(events.map(auditLeafBytes)))).toBe(rootBefore);
    expect(toHex((await t.db.tenant(x, currentTree)).root)).toBe(rootBefore);
  });

  it('never dates an event before the previous one of its log, even when the clock steps back', async () => {
    const x = await newTenant('Clock');
    const first = await t.db.tenant(x, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:1' }));
    const spy = vi.spyOn(Date, 'now').mockReturnValue(Date.parse(first.at) - 3_600_000);
    try {
      const second = await t.db.tenant(x, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:2' }));
      expect(second.at).toBe(first.at);
    } finally {
      spy.mockRestore();
    }
  });

  it('appends correctly after another service instance took the sequence number a rolled-back append had', async () => {
    const x = await newTenant('Two instances');
    const first = await t.db.tenant(x, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:1' }));
    // This process appends seq 2 and rolls back: what it last wrote never committed.
    await expect(
      t.db.tenant(x, async (tx) => {
        await appendAuditEvent(tx, { actor, action: 'thing.done', target: 'lost' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    // Meanwhile another instance commits a different seq 2 (same sequence number, other tree).
    const other = { ...first, seq: 2, target: 'thing:other', at: new Date(Date.parse(first.at) + 1).toISOString() };
    const frontier = new MerkleFrontier();
    frontier.append(leafHash(auditLeafBytes(first)));
    const otherLeaf = leafHash(auditLeafBytes(other));
    frontier.append(otherLeaf);
    await t.engine.query(
      `INSERT INTO audit_events (tenant_id, seq, at, actor_type, actor_id, action, target, outcome, request_id, details, personal_commitment, leaf_hash)
       VALUES ($1, 2, $2, 'operator', 'op-1', 'thing.done', 'thing:other', 'success', NULL, '{}'::jsonb, $3, $4)`,
      [x, other.at, other.personalCommitment, Buffer.from(otherLeaf)],
    );
    await t.engine.query('UPDATE audit_sequences SET next_seq = 3, frontier = $2 WHERE tenant_id = $1', [x, Buffer.concat(frontier.hashes())]);

    const third = await t.db.tenant(x, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:3' }));
    expect(third.seq).toBe(3);
    expect((await t.db.tenant(x, listAuditEvents)).map((e) => e.target)).toEqual(['thing:1', 'thing:other', 'thing:3']);
    expect(await verifyAuditLogs(t.db, x)).toEqual([{ tenantId: x, events: 3, heads: 0, problem: null }]);
  });
});
