/**
 * Threat: the people search (GET /v1/people?q=, the command palette) as a directory of
 * other tenants. A hostile admin of tenant B searches for A's people by name, by email, by
 * A's domain and with LIKE wildcards; a viewer of A and a stolen API token search at all;
 * and one admin fires 50 searches at once. Since migration 0026 the ids come from
 * attest_people_matching (trigram indexes, the scope applied by the function) before users'
 * policies: none of these may reach a person outside the caller's tenants, and a burst is
 * answered correctly up to the caller's allowance and refused (429 rate_limited) past it.
 */
import { describe, expect, it } from 'vitest';
import { ApiTokenCreatedSchema } from '../../shared/api-tokens/schemas';
import { PeopleSearchResultSchema } from '../../shared/people/schemas';
import { RATE_LIMIT_POLICY } from '../../shared/policy/rate-limits';
import type { TenantId } from '../../shared/tenants/tenant';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';
import { membersKit } from './members-kit';

const BURST = 50;
const ALLOWANCE = 30;

describe.each(TEST_ENGINES)("another tenant's people through the search, on %s", (kind) => {
  const clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  // A small allowance per credential (refilling too slowly to matter here), so the burst meets it.
  const svc = inProcessService(kind, { now: () => clock, rateLimits: { ...RATE_LIMIT_POLICY, perPrincipal: { burst: ALLOWANCE, perSecond: 0.001 } } });
  const { call, person, refused } = membersKit(svc, () => clock);

  const search = async (token: string, q: string) => {
    const res = await call('GET', `/v1/people?q=${encodeURIComponent(q)}`, { token });
    expect(res.statusCode, res.body).toBe(200);
    return PeopleSearchResultSchema.parse(res.json()).items.map((p) => p.email).sort();
  };

  let made = 0;
  const ours = async (tenantId: TenantId, n: number) => {
    const people = [];
    for (let i = 0; i < n; i++) {
      people.push(
        await createTestUser(svc.t.db, svc.keys, svc.hasher, {
          email: `zebulon.quartermaine${++made}@harbour-clinic.example`,
          memberships: [{ tenantId, role: 'viewer' }],
        }),
      );
    }
    return people;
  };

  it('a hostile admin of another tenant finds nobody of ours by name, email, domain or wildcard (200, no items); ours finds them', async () => {
    const a = await createTestTenant(svc.t.db, 'Harbour Clinic');
    const b = await createTestTenant(svc.t.db, 'Hostile Corp');
    const people = await ours(a, 3);
    const hostile = (await svc.session(await person([{ tenantId: b, role: 'admin' }]))).accessToken;
    for (const q of ['Quartermaine', 'zebulon', 'harbour-clinic.example', people[0]!.email, '%%', '__', '%quarter%', 'ZEBULON.QUARTER']) {
      expect(await search(hostile, q)).toEqual([]);
    }
    const admin = (await svc.session(await person([{ tenantId: a, role: 'admin' }]))).accessToken;
    expect(await search(admin, 'quartermaine')).toEqual(people.map((p) => p.email).sort());
    // Wildcards are literal: nobody's name or email holds '%%'.
    expect(await search(admin, '%%')).toEqual([]);
    // The function the search runs on reads users as its owner, so it scopes itself: asked
    // directly in B's transaction, with a pattern matching everyone, it names nobody of A.
    const idsIn = (tenantId: TenantId) =>
      svc.t.db.tenant(tenantId, (tx) => tx.query<{ id: string }>("SELECT id FROM attest_people_matching('%', 1000) AS f(id)"));
    const seenByB = (await idsIn(b)).map((r) => r.id);
    expect(seenByB.length).toBeGreaterThan(0);
    for (const p of people) expect(seenByB).not.toContain(p.userId);
    expect((await idsIn(a)).map((r) => r.id)).toEqual(expect.arrayContaining(people.map((p) => p.userId)));
  });

  it('a viewer of our tenant (403 forbidden) and an API token of it (403 forbidden) cannot search; without credentials 401', async () => {
    const a = await createTestTenant(svc.t.db, 'Viewer Clinic');
    await ours(a, 1);
    const viewer = (await svc.session(await person([{ tenantId: a, role: 'viewer' }]))).accessToken;
    await refused(call('GET', '/v1/people?q=quartermaine', { token: viewer }), 403, 'forbidden');
    const owner = (await svc.steppedUp(await person([{ tenantId: a, role: 'owner' }]), 60_000)).accessToken;
    const created = await call('POST', `/v1/tenants/${a}/api-tokens`, {
      token: owner,
      body: { name: 'ci', scopes: ['members.read'], expiresAt: new Date(clock.getTime() + 86_400_000).toISOString() },
    });
    expect(created.statusCode, created.body).toBe(201);
    const apiToken = ApiTokenCreatedSchema.parse(created.json()).secret;
    await refused(call('GET', '/v1/people?q=quartermaine', { token: apiToken }), 403, 'forbidden');
    await refused(call('GET', '/v1/people?q=quartermaine', {}), 401, 'auth_required');
  });

  it(`${BURST} parallel searches by one admin: the first ${ALLOWANCE} answered with exactly their tenant's people, the rest 429 rate_limited`, async () => {
    const a = await createTestTenant(svc.t.db, 'Burst Clinic');
    const b = await createTestTenant(svc.t.db, 'Burst Hostile');
    const mine = await ours(a, 2);
    const theirs = await ours(b, 2);
    const admin = (await svc.session(await person([{ tenantId: a, role: 'admin' }]))).accessToken;
    const responses = await Promise.all(Array.from({ length: BURST }, () => call('GET', '/v1/people?q=quartermaine', { token: admin })));
    const answered = responses.filter((r) => r.statusCode === 200);
    expect(answered).toHaveLength(ALLOWANCE);
    for (const r of answered) {
      const emails = PeopleSearchResultSchema.parse(r.json()).items.map((p) => p.email);
      expect(emails.sort()).toEqual(mine.map((p) => p.email).sort());
      for (const t of theirs) expect(r.body).not.toContain(t.userId);
    }
    const refusals = responses.filter((r) => r.statusCode !== 200).map(errorOf);
    expect(refusals).toEqual(Array.from({ length: BURST - ALLOWANCE }, () => ({ status: 429, code: 'rate_limited' })));
  });
});
