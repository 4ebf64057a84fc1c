import { beforeAll, describe, expect, it } from 'vitest';
import type { PlatformRole, TenantRole } from '../../shared/identity/roles';
import type { TenantId } from '../../shared/tenants/tenant';
import { appendAuditEvent } from '../audit/audit-log';
import { createTestTenant, createTestUser, sessionFor } from '../testing/identity-fixtures';
import { TEST_ENGINES } from '../testing/databases';
import { errorOf, inProcessService } from '../testing/in-process-service';

/**
 * Signing a tree head on demand writes (a signed head per request, an Ed25519
 * signature each): a read-only role must not be able to make the service do it.
 * Readers get the latest head, which the service signs every few seconds anyway.
 */
describe.each(TEST_ENGINES)('a reader asking the service to sign tree heads on %s', (kind) => {
  let tenant: TenantId;
  const svc = inProcessService(kind, { now: () => new Date() });

  beforeAll(async () => {
    tenant = await createTestTenant(svc.t.db, 'Signed');
    await svc.t.db.tenant(tenant, (tx) => appendAuditEvent(tx, { actor: { type: 'system', id: 'test' }, action: 'thing.done', target: 'thing:1' }));
  });

  const tokenOf = async (as: { role?: TenantRole; platformRole?: PlatformRole }) => {
    const user = await createTestUser(svc.t.db, svc.keys, svc.hasher, {
      ...(as.role ? { memberships: [{ tenantId: tenant, role: as.role }] } : {}),
      ...(as.platformRole ? { platformRoles: [as.platformRole] } : {}),
    });
    return (await sessionFor(svc.t.db, user.userId, new Date())).accessToken;
  };

  it.each([{ role: 'reviewer' }, { role: 'viewer' }, { role: 'editor' }, { platformRole: 'auditor' }, { platformRole: 'incident_responder' }] as const)(
    '%o gets 403 forbidden, and may still read the latest head if it reads the log',
    async (as) => {
      const token = await tokenOf(as);
      expect(errorOf(await svc.call('POST', `/v1/tenants/${tenant}/audit/sth`, { token }))).toEqual({ status: 403, code: 'forbidden' });
      const readsTheLog = 'platformRole' in as || as.role === 'reviewer';
      expect((await svc.call('GET', `/v1/tenants/${tenant}/audit/sth`, { token })).statusCode).toBe(readsTheLog ? 200 : 403);
    },
  );

  it.each([{ role: 'owner' }, { role: 'admin' }, { platformRole: 'security_officer' }, { platformRole: 'platform_admin' }] as const)('%o may sign one', async (as) => {
    const res = await svc.call('POST', `/v1/tenants/${tenant}/audit/sth`, { token: await tokenOf(as) });
    expect(res.statusCode).toBe(200);
  });
});
