/**
 * Threat: a tenant admin sets session limits outside the platform's bounds (an
 * idle limit of a year, an absolute limit of a minute, an absolute limit shorter
 * than the idle one) to weaken the tenant's sessions or lock everyone out. Refused
 * with 400 session_limit_out_of_bounds naming the bounds; nothing changes.
 */
import { describe, expect, it } from 'vitest';
import { SESSION_LIMIT_BOUNDS } from '../../shared/policy/identity';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';
import { membersKit } from './members-kit';

describe.each(TEST_ENGINES)('session limits out of bounds, on %s', (kind) => {
  const clock = new Date('2026-07-01T09:00:05Z');
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, audit } = membersKit(svc, () => clock);
  const { idle, absolute } = SESSION_LIMIT_BOUNDS;

  it.each([
    ['an idle limit below the minimum', { idleTimeoutSeconds: idle.min - 1 }],
    ['an idle limit above the maximum', { idleTimeoutSeconds: idle.max + 1 }],
    ['an absolute limit below the minimum', { absoluteTimeoutSeconds: absolute.min - 1, idleTimeoutSeconds: idle.min }],
    ['an absolute limit above the maximum', { absoluteTimeoutSeconds: absolute.max + 1 }],
    ['an absolute limit shorter than the idle limit', { idleTimeoutSeconds: 10 * 3600, absoluteTimeoutSeconds: 5 * 3600 }],
    ['a negative limit', { idleTimeoutSeconds: -1 }],
  ])('refuses %s with the bounds, and changes nothing (not the name sent with it)', async (_, limits) => {
    const tenant = await createTestTenant(svc.t.db, 'Bounded');
    const admin = await person([{ tenantId: tenant, role: 'admin' }]);
    const state = () =>
      svc.t.engine.query('SELECT t.name, p.idle_timeout_seconds, p.absolute_timeout_seconds FROM tenants t LEFT JOIN tenant_security_policies p ON p.tenant_id = t.id WHERE t.id = $1', [tenant]);
    const before = await state();
    const eventsBefore = (await audit(tenant)).length;
    const res = await call('PATCH', `/v1/tenants/${tenant}/settings`, { token: (await svc.steppedUp(admin)).accessToken, body: { name: 'Renamed', ...limits } });
    expect(errorOf(res)).toEqual({ status: 400, code: 'session_limit_out_of_bounds' });
    expect((res.json() as { error: { details: unknown } }).error.details).toEqual({ bounds: SESSION_LIMIT_BOUNDS });
    expect(await state()).toEqual(before);
    expect((await audit(tenant)).length).toBe(eventsBefore);
  });
});
