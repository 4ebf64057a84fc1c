/**
 * Threat: a flood of requests (one stolen session, many credentials from one host, or no
 * credentials at all) wears the service down for everyone. Every route is rate limited per
 * credential and per source, tighter without credentials; 429 rate_limited with Retry-After.
 * The limits live in memory per instance, so storage does not matter: PGlite only.
 */
import { describe, expect, it } from 'vitest';
import { AUDIT_PULL_MAX_LIMIT } from '../../shared/audit/api';
import { heaviestConsoleBurst, RATE_LIMIT_POLICY, type RateLimits } from '../../shared/policy/rate-limits';
import type { TenantId } from '../../shared/tenants/tenant';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService, type InProcessService } from '../testing/in-process-service';

const SMALL: RateLimits = {
  perPrincipal: { burst: 30, perSecond: 0.2 },
  perSource: { burst: 80, perSecond: 0.2 },
  anonymous: { burst: 10, perSecond: 0.2 },
};

type Response = Awaited<ReturnType<InProcessService['call']>>;

const outcomes = (responses: readonly Response[]) => ({
  ok: responses.filter((r) => r.statusCode === 200).length,
  limited: responses.filter((r) => r.statusCode === 429).length,
  other: responses.filter((r) => r.statusCode !== 200 && r.statusCode !== 429).map((r) => errorOf(r)),
});

const expectLimited = (r: Response) => {
  expect(errorOf(r)).toEqual({ status: 429, code: 'rate_limited' });
  expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
};

describe('request floods against small limits', () => {
  const clock = new Date('2026-06-04T09:00:00Z');
  const svc = inProcessService('pglite', { now: () => clock, rateLimits: SMALL });
  let tenant: TenantId;
  const person = async () => {
    tenant ??= await createTestTenant(svc.t.db);
    return createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: tenant, role: 'admin' }] });
  };
  const burst = (n: number, make: (i: number) => Promise<Response>) => Promise.all(Array.from({ length: n }, (_, i) => make(i)));

  it('refuses one session past its burst (429 rate_limited, Retry-After); another session at the same address is not affected', async () => {
    const u = await person();
    const stolen = await svc.session(u);
    const other = await svc.session(u);
    const responses = await burst(45, () => svc.call('GET', '/v1/me', { token: stolen.accessToken, ip: '203.0.113.1' }));
    const { ok, limited, other: unexpected } = outcomes(responses);
    expect(unexpected).toEqual([]);
    expect(ok).toBeGreaterThanOrEqual(SMALL.perPrincipal.burst);
    expect(ok).toBeLessThanOrEqual(SMALL.perPrincipal.burst + 1);
    expect(limited).toBe(45 - ok);
    for (const r of responses.filter((x) => x.statusCode === 429)) expectLimited(r);
    expect((await svc.call('GET', '/v1/me', { token: other.accessToken, ip: '203.0.113.1' })).statusCode).toBe(200);
    expect((await svc.call('GET', `/v1/tenants/${tenant}/members`, { token: other.accessToken, ip: '203.0.113.1' })).statusCode).toBe(200);
  });

  it('refuses requests without credentials past the anonymous burst (health, bad tokens, sign-in); signed-in people there go on', async () => {
    const u = await person();
    const session = await svc.session(u);
    const ip = '203.0.113.2';
    const health = await burst(SMALL.anonymous.burst, () => svc.call('GET', '/v1/health', { ip }));
    expect(outcomes(health)).toEqual({ ok: SMALL.anonymous.burst, limited: 0, other: [] });
    expectLimited(await svc.call('GET', '/v1/health', { ip }));
    // A guessed token is refused by the limit, not answered 401: guessing tokens spends the same budget.
    expectLimited(await svc.call('GET', '/v1/me', { token: 'atst_at_guessed', ip }));
    expectLimited(await svc.call('POST', '/v1/auth/login', { body: { email: u.email, password: u.password }, ip }));
    expect((await svc.call('GET', '/v1/me', { token: session.accessToken, ip })).statusCode).toBe(200);
    // Another address is not affected.
    expect((await svc.call('GET', '/v1/health', { ip: '203.0.113.3' })).statusCode).toBe(200);
  });

  it('caps an address across credentials and unknown routes; other addresses are not affected', async () => {
    const sessions = await Promise.all(Array.from({ length: 4 }, async () => svc.session(await person())));
    const ip = '203.0.113.4';
    const responses = await burst(100, (i) =>
      i % 10 === 9 ? svc.call('GET', '/v1/nowhere', { ip }) : svc.call('GET', '/v1/me', { token: sessions[i % 4]?.accessToken ?? '', ip }),
    );
    const limited = responses.filter((r) => r.statusCode === 429);
    // Each session stayed under its own burst (25 requests or fewer), yet the address met its cap.
    expect(limited.length).toBeGreaterThanOrEqual(100 - SMALL.perSource.burst - 1);
    for (const r of limited) expectLimited(r);
    expectLimited(await svc.call('GET', '/v1/me', { token: sessions[0]?.accessToken ?? '', ip }));
    const elsewhere = await svc.session(await person());
    expect((await svc.call('GET', '/v1/me', { token: elsewhere.accessToken, ip: '203.0.113.5' })).statusCode).toBe(200);
  });
});

describe('the default limits', () => {
  const clock = new Date('2026-06-04T09:00:00Z');
  const svc = inProcessService('pglite', { now: () => clock });

  it("never meet the console's heaviest normal use: its largest back-to-back run of requests from one session", async () => {
    // A tenant with a million audit events in the sync window, 20 000 incidents, people in five full directories (shared/policy/rate-limits.test.ts).
    const requests = heaviestConsoleBurst({
      incidents: 20_000,
      incidentPage: 500,
      auditEvents: 1_000_000,
      auditPullPage: AUDIT_PULL_MAX_LIMIT,
      auditExportPage: 1000,
      tenants: 5,
      memberPages: 40,
    });
    expect(requests).toBeLessThan(RATE_LIMIT_POLICY.perPrincipal.burst);
    const tenant = await createTestTenant(svc.t.db);
    const u = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: tenant, role: 'owner' }] });
    const { accessToken } = await svc.session(u);
    // Pages of the audit log, members and me, back to back and faster than the console (no network, no parsing on its side).
    const urls = [`/v1/tenants/${tenant}/audit/pull?limit=1`, `/v1/tenants/${tenant}/members?limit=1`, '/v1/me'];
    const statuses = new Map<number, number>();
    for (let i = 0; i < requests; i += 1) {
      const res = await svc.call('GET', urls[i % urls.length] ?? '/v1/me', { token: accessToken, ip: '198.51.100.9' });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 200: requests });
  });

  it('refuses a flood without credentials after the anonymous burst', async () => {
    const ip = '198.51.100.10';
    const responses = await Promise.all(Array.from({ length: RATE_LIMIT_POLICY.anonymous.burst + 10 }, () => svc.call('GET', '/v1/health', { ip })));
    const limited = responses.filter((r) => r.statusCode === 429);
    expect(limited.length).toBeGreaterThanOrEqual(9);
    for (const r of limited) expectLimited(r);
  });
});
