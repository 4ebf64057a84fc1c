/**
 * Threat: the owner of tenant A (or an API token of A) reads or changes tenant B's
 * settings: renames it, or loosens its session limits. The route's tenant decides
 * the permission (403), and B's rows are read and written only in B's scope.
 */
import { describe, expect, it } from 'vitest';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { membersKit } from './members-kit';

describe.each(TEST_ENGINES)("another tenant's settings, on %s", (kind) => {
  const clock = new Date('2026-07-01T09:00:05Z');
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, refused, audit } = membersKit(svc, () => clock);

  it("an owner of A can neither read nor change B's settings or plan (403), and B is unchanged", async () => {
    const a = await createTestTenant(svc.t.db, 'Tenant A');
    const b = await createTestTenant(svc.t.db, 'Tenant B');
    const ownerOfA = await person([{ tenantId: a, role: 'owner' }]);
    const token = (await svc.steppedUp(ownerOfA)).accessToken;
    const stateOfB = () =>
      svc.t.engine.query(
        `SELECT t.name, t.plan, p.idle_timeout_seconds, p.absolute_timeout_seconds FROM tenants t LEFT JOIN tenant_security_policies p ON p.tenant_id = t.id WHERE t.id = $1`,
        [b],
      );
    const before = await stateOfB();
    const eventsBefore = (await audit(b)).length;
    await refused(call('GET', `/v1/tenants/${b}/settings`, { token }), 403, 'forbidden');
    await refused(call('PATCH', `/v1/tenants/${b}/settings`, { token, body: { name: 'Owned by A', idleTimeoutSeconds: 2_592_000 } }), 403, 'forbidden');
    await refused(call('PUT', `/v1/tenants/${b}/plan`, { token, body: { plan: 'free' } }), 403, 'forbidden');
    await refused(call('GET', `/v1/tenants/${b}/summary`, { token }), 403, 'forbidden');
    // The same calls work in A: the refusal is about the tenant, not the caller.
    expect((await call('PATCH', `/v1/tenants/${a}/settings`, { token, body: { name: 'Tenant A2' } })).statusCode).toBe(200);
    expect(await stateOfB()).toEqual(before);
    expect((await audit(b)).length).toBe(eventsBefore);
  });
});
