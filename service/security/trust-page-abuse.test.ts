/**
 * Threat: the published page is made to say something stale or is published by
 * someone who should not. A clock set back must not bring an older page back to the
 * public address; parallel publications must each be whole and verifiable, the last
 * one served; a stolen tenant API token (every scope it may hold) cannot publish; a
 * tenant owner cannot publish the platform's page.
 */
import { describe, expect, it } from 'vitest';
import { API_TOKEN_SCOPES } from '../../shared/identity/api-token-scopes';
import { TrustPagePublicationSchema } from '../../shared/trust-page/api';
import { verifyTrustPage } from '../../shared/trust-page/verify';
import { PLATFORM_TENANT_ID } from '../db/db';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { membersKit } from './members-kit';

describe.each(TEST_ENGINES)('abusing trust page publication, on %s', (kind) => {
  let clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, refused, audit } = membersKit(svc, () => clock);

  it('a clock set back does not bring an older page back: the last published is served', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    const first = TrustPagePublicationSchema.parse((await call('POST', `/v1/tenants/${tenant}/trust-page/publications`, { token: (await svc.steppedUp(owner)).accessToken })).json());
    clock = new Date(clock.getTime() - 3 * 24 * 3600_000);
    const res = await call('POST', `/v1/tenants/${tenant}/trust-page/publications`, { token: (await svc.steppedUp(owner)).accessToken });
    expect(res.statusCode, res.body).toBe(201);
    const second = TrustPagePublicationSchema.parse(res.json());
    expect(Date.parse(second.publishedAt)).toBeLessThan(Date.parse(first.publishedAt));
    const served = verifyTrustPage((await call('GET', first.path)).body);
    expect(served).toMatchObject({ ok: true, snapshotId: second.snapshotId });
    clock = new Date(clock.getTime() + 3 * 24 * 3600_000);
  });

  it('parallel publications all succeed, each whole and verifiable; the public page is the last', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    const tokens = await Promise.all([1, 2, 3, 4].map(async () => (await svc.steppedUp(owner)).accessToken));
    const results = await Promise.all(tokens.map((token) => call('POST', `/v1/tenants/${tenant}/trust-page/publications`, { token })));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    const pubs = results.map((r) => TrustPagePublicationSchema.parse(r.json()));
    expect(new Set(pubs.map((p) => p.treeSize)).size).toBe(4);
    const bundles = await svc.t.engine.query<{ html: string; tree_size: string | number }>('SELECT html, tree_size FROM trust_page_publications WHERE tenant_id = $1', [tenant]);
    for (const b of bundles) expect(verifyTrustPage(b.html)).toMatchObject({ ok: true, treeSize: Number(b.tree_size) });
    const last = pubs.reduce((a, b) => (b.treeSize > a.treeSize ? b : a));
    expect(verifyTrustPage((await call('GET', last.path)).body)).toMatchObject({ ok: true, snapshotId: last.snapshotId });
    expect((await audit(tenant)).filter((e) => e.action === 'trust_page.published')).toHaveLength(4);
  });

  it('a stolen API token with every scope it may hold, and a tenant owner on the platform’s page, are refused', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    const ownerToken = (await svc.steppedUp(owner)).accessToken;
    const created = await call('POST', `/v1/tenants/${tenant}/api-tokens`, { token: ownerToken, body: { name: 'ci', scopes: [...API_TOKEN_SCOPES], expiresAt: new Date(clock.getTime() + 30 * 24 * 3600_000).toISOString() } });
    expect(created.statusCode, created.body).toBe(201);
    const apiToken = (created.json() as { secret: string }).secret;
    await refused(call('POST', `/v1/tenants/${tenant}/trust-page/publications`, { token: apiToken }), 403, 'forbidden');
    await refused(call('POST', `/v1/tenants/${PLATFORM_TENANT_ID}/trust-page/publications`, { token: ownerToken }), 403, 'forbidden');
    expect((await audit(tenant)).some((e) => e.action === 'trust_page.published')).toBe(false);
  });
});
