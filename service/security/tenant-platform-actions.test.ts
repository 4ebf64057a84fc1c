/**
 * Threat: a tenant's own owner or admin (or their API token) does what only the
 * operator's staff may: creates a tenant, changes their tenant's plan, suspends or
 * reinstates a tenant. The permission matrix gives these actions no tenant role: 403.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TEST_ENGINES } from '../testing/databases';
import { errorOf, inProcessService } from '../testing/in-process-service';
import { setUpTwoTenants } from '../testing/two-tenants';

describe.each(TEST_ENGINES)("platform actions by a tenant's owner, on %s", (kind) => {
  const clock = new Date('2026-05-04T10:00:00Z');
  const svc = inProcessService(kind, { now: () => clock });

  it('owner (stepped up) and API token get 403 creating a tenant, changing the plan, suspending or reinstating; nothing changes', async () => {
    const { a } = await setUpTwoTenants(svc, () => clock);
    const state = () => svc.t.engine.query('SELECT count(*) AS n, max(plan) AS plan, max(status) AS status FROM tenants WHERE id = $1 OR slug = $2', [a.tenantId, 'self-made']);
    const approvals = () => svc.t.engine.query("SELECT count(*) AS n FROM approval_requests WHERE action IN ('tenant.suspend', 'tenant.reinstate')");
    const before = [await state(), await approvals(), await svc.t.engine.query('SELECT count(*) AS n FROM tenants')];
    const calls = [
      ['POST', '/v1/tenants', { name: 'Self made', slug: 'self-made', region: 'eu', plan: 'enterprise', ownerEmail: `me-${randomUUID().slice(0, 6)}@example.com` }],
      ['PUT', `/v1/tenants/${a.tenantId}/plan`, { plan: 'enterprise' }],
      ['POST', `/v1/tenants/${a.tenantId}/suspend`, { reason: 'to dodge an audit' }],
      ['POST', `/v1/tenants/${a.tenantId}/reinstate`, { reason: 'because' }],
    ] as const;
    for (const [method, url, body] of calls) {
      for (const token of [a.ownerToken, a.apiToken, a.memberToken]) {
        expect([method, url, errorOf(await svc.call(method, url, { token, body }))]).toEqual([method, url, { status: 403, code: 'forbidden' }]);
      }
    }
    expect([await state(), await approvals(), await svc.t.engine.query('SELECT count(*) AS n FROM tenants')]).toEqual(before);
  });
});
