import { describe, expect, it } from 'vitest';
import { SESSION_LIMIT_BOUNDS } from '../../shared/policy/identity';
import { TenantSettingsSchema } from '../../shared/tenants/api';
import { SessionTokensSchema } from '../../shared/identity/schemas';
import { membersKit } from '../security/members-kit';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser, sessionFor } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';

const HOUR = 3600;

describe.each(TEST_ENGINES)('tenant settings, on %s', (kind) => {
  let clock = new Date('2026-07-01T09:00:05Z');
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, refused, audit, platformAudit } = membersKit(svc, () => clock);

  it('owners and admins read them, with the bounds; change name and limits with a step-up, audited with before and after', async () => {
    const tenant = await createTestTenant(svc.t.db, 'Initech');
    const admin = await person([{ tenantId: tenant, role: 'admin' }]);
    const read = await call('GET', `/v1/tenants/${tenant}/settings`, { token: (await svc.session(admin)).accessToken });
    expect(read.statusCode, read.body).toBe(200);
    expect(TenantSettingsSchema.parse(read.json())).toEqual({
      name: 'Initech',
      plan: 'team',
      region: 'eu',
      status: 'active',
      idleTimeoutSeconds: 14 * 24 * HOUR,
      absoluteTimeoutSeconds: 30 * 24 * HOUR,
      mfaRequired: true,
      bounds: SESSION_LIMIT_BOUNDS,
    });
    const change = { name: 'Initech Holdings', idleTimeoutSeconds: 8 * HOUR, absoluteTimeoutSeconds: 7 * 24 * HOUR };
    await refused(call('PATCH', `/v1/tenants/${tenant}/settings`, { token: (await svc.session(admin)).accessToken, body: change }), 403, 'step_up_required');
    const res = await call('PATCH', `/v1/tenants/${tenant}/settings`, { token: (await svc.steppedUp(admin)).accessToken, body: change });
    expect(res.statusCode, res.body).toBe(200);
    expect(TenantSettingsSchema.parse(res.json())).toMatchObject(change);
    const event = (await audit(tenant)).find((e) => e.action === 'tenant.settings_changed');
    expect(event?.details).toEqual({
      idleTimeoutSeconds: { before: 14 * 24 * HOUR, after: 8 * HOUR },
      absoluteTimeoutSeconds: { before: 30 * 24 * HOUR, after: 7 * 24 * HOUR },
      nameChanged: true,
      nameBeforeLength: 7,
      nameAfterLength: 16,
    });
    expect(event?.personal?.data).toEqual({ nameBefore: 'Initech', nameAfter: 'Initech Holdings' });
    const viewer = await person([{ tenantId: tenant, role: 'viewer' }]);
    await refused(call('GET', `/v1/tenants/${tenant}/settings`, { token: (await svc.session(viewer)).accessToken }), 403, 'forbidden');
  });

  it('platform admins change the plan with a step-up, audited in the platform log and the tenant log', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await person([], ['platform_admin']);
    await refused(call('PUT', `/v1/tenants/${tenant}/plan`, { token: (await svc.session(admin)).accessToken, body: { plan: 'enterprise' } }), 403, 'step_up_required');
    const res = await call('PUT', `/v1/tenants/${tenant}/plan`, { token: (await svc.steppedUp(admin)).accessToken, body: { plan: 'enterprise' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(TenantSettingsSchema.parse(res.json()).plan).toBe('enterprise');
    const inTenant = (await audit(tenant)).filter((e) => e.action === 'tenant.plan_changed');
    const inPlatform = (await platformAudit()).filter((e) => e.action === 'tenant.plan_changed' && e.target === `tenant:${tenant}`);
    expect([...inTenant, ...inPlatform].map((e) => e.details)).toEqual([
      { before: 'team', after: 'enterprise' },
      { before: 'team', after: 'enterprise' },
    ]);
    await refused(call('PUT', `/v1/tenants/${tenant}/plan`, { token: (await svc.steppedUp(admin)).accessToken, body: { plan: 'gold' } }), 400, 'validation_failed');
  });

  it('a shorter limit applies to existing sessions at their next request, even one validated a moment before', async () => {
    const start = clock;
    const tenant = await createTestTenant(svc.t.db);
    const owner = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: tenant, role: 'owner' }], at: new Date(start.getTime() - 86_400_000) });
    const member = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: tenant, role: 'viewer' }], at: new Date(start.getTime() - 86_400_000) });
    // The member's session began three hours ago; it was just used (and is in the token cache).
    const began = await sessionFor(svc.t.db, member.userId, new Date(start.getTime() - 3 * HOUR * 1000));
    clock = start;
    const refreshed = await call('POST', '/v1/auth/refresh', { body: { refreshToken: began.refreshToken } });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const old = SessionTokensSchema.parse(refreshed.json());
    expect((await call('GET', '/v1/me', { token: old.accessToken })).statusCode).toBe(200);
    expect((await call('GET', '/v1/me', { token: old.accessToken })).statusCode).toBe(200);
    const set = await call('PATCH', `/v1/tenants/${tenant}/settings`, {
      token: (await svc.steppedUp(owner)).accessToken,
      body: { idleTimeoutSeconds: HOUR, absoluteTimeoutSeconds: 2 * HOUR },
    });
    expect(set.statusCode, set.body).toBe(200);
    // Past its new absolute limit: the very next request is refused.
    await refused(call('GET', '/v1/me', { token: old.accessToken }), 401, 'session_expired');
  });
});
