import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENANT_ROLES, type TenantRole } from '../../shared/identity/roles';
import type { TenantId } from '../../shared/tenants/tenant';
import { ephemeralKeyRing } from '../crypto/key-ring';
import { buildServer } from '../http/server';
import { plainCompareHasher } from '../identity/passwords';
import { createTestTenant, createTestUser, grantStepUp, sessionFor } from '../testing/identity-fixtures';
import { openTestDatabase, TEST_ENGINES, type TestDatabase } from '../testing/databases';

/**
 * Random tenants, users with random memberships, random requests: whatever a
 * request authenticated as a member of some tenants does, no row of any other
 * tenant is returned or changed.
 */
describe.each(TEST_ENGINES)('tenant isolation (property) on %s', (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const keys = ephemeralKeyRing();
  const hasher = plainCompareHasher();
  const now = new Date('2026-03-02T09:00:00Z');

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    app = await buildServer({ db: t.db, tls: null, logger: false, keys, hasher, now: () => now });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  const snapshot = async (tenants: readonly TenantId[]) =>
    JSON.stringify(
      await t.engine.query('SELECT tenant_id, user_id, role FROM memberships WHERE tenant_id = ANY($1::uuid[]) ORDER BY tenant_id, user_id', [[...tenants]]),
    ) +
    JSON.stringify(
      await t.engine.query('SELECT tenant_id, seq FROM audit_events WHERE tenant_id = ANY($1::uuid[]) ORDER BY tenant_id, seq', [[...tenants]]),
    );

  const role = fc.constantFrom<TenantRole>(...TENANT_ROLES);
  const scenario = fc.record({
    tenantCount: fc.integer({ min: 2, max: 3 }),
    // Per user: a role (or none) in each tenant, by index.
    users: fc.array(fc.array(fc.option(role, { nil: null }), { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 4 }),
    requests: fc.array(
      fc.record({
        caller: fc.nat(),
        kind: fc.constantFrom('listTenants', 'getTenant', 'listMembers', 'changeRole'),
        tenant: fc.nat(),
        target: fc.nat(),
        role,
      }),
      { minLength: 1, maxLength: 6 },
    ),
  });

  it('never returns or changes a row of a tenant the caller is not a member of', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const tenants: TenantId[] = [];
        for (let i = 0; i < s.tenantCount; i += 1) tenants.push(await createTestTenant(t.db));
        const users = [];
        for (const roles of s.users) {
          const memberships = roles.slice(0, s.tenantCount).flatMap((r, i) => (r && tenants[i] ? [{ tenantId: tenants[i], role: r }] : []));
          const user = await createTestUser(t.db, keys, hasher, { mfa: false, memberships });
          const tokens = await sessionFor(t.db, user.userId, now);
          await grantStepUp(t.db, tokens.session.id, new Date(now.getTime() + 60_000));
          users.push({ ...user, token: tokens.accessToken, tenants: new Set(memberships.map((m) => m.tenantId)) });
        }
        const memberIds = async (tenant: TenantId) =>
          new Set((await t.engine.query<{ user_id: string }>('SELECT user_id FROM memberships WHERE tenant_id = $1', [tenant])).map((r) => r.user_id));

        for (const r of s.requests) {
          const caller = users[r.caller % users.length];
          const tenant = tenants[r.tenant % tenants.length];
          const target = users[r.target % users.length];
          if (!caller || !tenant || !target) throw new Error('bad scenario');
          const others = tenants.filter((x) => !caller.tenants.has(x));
          const before = await snapshot(others);
          const headers = { authorization: `Bearer ${caller.token}` };
          const res =
            r.kind === 'listTenants'
              ? await app.inject({ url: '/v1/tenants', headers })
              : r.kind === 'getTenant'
                ? await app.inject({ url: `/v1/tenants/${tenant}`, headers })
                : r.kind === 'listMembers'
                  ? await app.inject({ url: `/v1/tenants/${tenant}/members`, headers })
                  : await app.inject({
                      method: 'PATCH',
                      url: `/v1/tenants/${tenant}/members/${target.userId}`,
                      headers: { ...headers, 'content-type': 'application/json' },
                      payload: JSON.stringify({ role: r.role }),
                    });
          expect(res.statusCode).toBeLessThan(500);
          // Whatever came back names no tenant the caller is not in.
          for (const other of others) expect(res.body).not.toContain(other);
          if (res.statusCode === 200 && (r.kind === 'listMembers' || r.kind === 'changeRole')) {
            expect(caller.tenants.has(tenant)).toBe(true);
            const ids = await memberIds(tenant);
            const returned = r.kind === 'listMembers' ? (res.json() as { items: { userId: string }[] }).items.map((m) => m.userId) : [(res.json() as { userId: string }).userId];
            for (const id of returned) expect(ids.has(id)).toBe(true);
          }
          if (!caller.tenants.has(tenant) && r.kind !== 'listTenants') expect(res.statusCode).toBe(403);
          expect(await snapshot(others)).toBe(before);
        }
      }),
      { numRuns: kind === 'pglite' ? 25 : 15 },
    );
  });
});
