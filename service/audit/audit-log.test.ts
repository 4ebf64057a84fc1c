import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantId } from '../../shared/tenants/tenant';
import { PLATFORM_TENANT_ID } from '../db/db';
import { createTenant } from '../tenants/tenant-repository';
import { openTestDatabase, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { appendAuditEvent, listAuditEvents } from './audit-log';

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
});
