/**
 * Publishing and serving the trust page: who may publish (owner, admin, with a
 * step-up; the platform's page a platform admin), what anyone gets without a
 * token (the page, its bundle, cache headers, 304, the page's CSP), and what no
 * one gets (an unknown, unpublished or suspended tenant's page: 404).
 */
import { describe, expect, it } from 'vitest';
import { TrustPageBundleSchema } from '../../shared/trust-page/bundle';
import { TrustPagePreviewSchema, TrustPagePublicationListSchema, TrustPagePublicationSchema } from '../../shared/trust-page/api';
import { TRUST_PAGE_CSP } from '../../shared/trust-page/render-html';
import { verifyTrustPage } from '../../shared/trust-page/verify';
import type { TenantId } from '../../shared/tenants/tenant';
import { PLATFORM_TENANT_ID } from '../db/db';
import { membersKit } from '../security/members-kit';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

const DAY = 24 * 60 * 60 * 1000;

describe.each(TEST_ENGINES)('the trust page, published and served, on %s', (kind) => {
  const clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, refused, audit, platformAudit } = membersKit(svc, () => clock);
  const slugOf = async (tenant: TenantId) => (await svc.t.engine.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [tenant]))[0]!.slug;
  const publish = async (tenant: string, token: string) => {
    const res = await call('POST', `/v1/tenants/${tenant}/trust-page/publications`, { token });
    expect(res.statusCode, res.body).toBe(201);
    return TrustPagePublicationSchema.parse(res.json());
  };

  it('an owner previews (unsigned, says so) and publishes with a step-up; anyone fetches it without a token, and it verifies', async () => {
    const tenant = await createTestTenant(svc.t.db, 'Trust Co');
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    const session = await svc.session(owner);
    for (const format of ['html', 'markdown'] as const) {
      const res = await call('POST', `/v1/tenants/${tenant}/trust-page`, { token: session.accessToken, body: { format } });
      expect(res.statusCode, res.body).toBe(200);
      const preview = TrustPagePreviewSchema.parse(res.json());
      expect(preview.body).toContain('Preview: this page is not signed');
      expect(verifyTrustPage(preview.body)).toMatchObject({ ok: false, code: 'not_signed' });
    }
    await refused(call('POST', `/v1/tenants/${tenant}/trust-page`, { token: session.accessToken, body: { format: 'pdf' } }), 400, 'validation_failed');

    await refused(call('POST', `/v1/tenants/${tenant}/trust-page/publications`, { token: session.accessToken }), 403, 'step_up_required');
    const pub = await publish(tenant, (await svc.steppedUp(owner)).accessToken);
    expect(pub).toMatchObject({ path: `/trust/${await slugOf(tenant)}`, publishedAt: clock.toISOString() });

    const page = await call('GET', pub.path);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('public, max-age=300');
    expect(page.headers['content-security-policy']).toBe(TRUST_PAGE_CSP);
    expect(page.body).not.toMatch(/<script|<img|<link|<iframe|<object|<form/i);
    expect(page.body).toContain('Trust Co: security and trust');
    expect(verifyTrustPage(page.body)).toMatchObject({ ok: true, keyPinned: false, snapshotId: pub.snapshotId, tenantId: tenant });

    const bundleRes = await call('GET', `${pub.path}/snapshot.json`);
    expect(bundleRes.statusCode).toBe(200);
    expect(bundleRes.headers['content-type']).toBe('application/json; charset=utf-8');
    const bundle = TrustPageBundleSchema.parse(bundleRes.json());
    expect(bundle.snapshot).toMatchObject({ id: pub.snapshotId, sha256: pub.sha256 });
    expect(verifyTrustPage(bundleRes.body)).toMatchObject({ ok: true, format: 'bundle' });

    // Audited in the tenant's log: who published (the person), and the snapshot (the service, so no person's id is on the page).
    const events = await audit(tenant);
    expect(events.find((e) => e.action === 'trust_page.published')).toMatchObject({ actor: { type: 'user', id: owner.userId }, target: `trust_page:${pub.id}` });
    expect(bundle.event).toMatchObject({ action: 'posture.snapshot', actor: { type: 'system', id: 'trust_page' }, personal: null });
    expect(page.body).not.toContain(owner.userId);
    expect(page.body.toLowerCase()).not.toContain(owner.email.toLowerCase());

    const list = await call('GET', `/v1/tenants/${tenant}/trust-page/publications`, { token: session.accessToken });
    expect(TrustPagePublicationListSchema.parse(list.json()).items).toEqual([pub]);
  });

  it('serves the latest page with an ETag: 304 while unchanged, 200 with a new tag after a new publication', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await person([{ tenantId: tenant, role: 'admin' }]);
    const first = await publish(tenant, (await svc.steppedUp(admin)).accessToken);
    const page = await call('GET', first.path);
    const etag = page.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const again = await svc.app.inject({ method: 'GET', url: first.path, headers: { 'if-none-match': etag }, remoteAddress: '10.200.0.1' });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    const bundleTag = (await call('GET', `${first.path}/snapshot.json`)).headers.etag as string;
    expect((await svc.app.inject({ method: 'GET', url: `${first.path}/snapshot.json`, headers: { 'if-none-match': bundleTag }, remoteAddress: '10.200.0.2' })).statusCode).toBe(304);

    await publish(tenant, (await svc.steppedUp(admin)).accessToken);
    const changed = await svc.app.inject({ method: 'GET', url: first.path, headers: { 'if-none-match': etag }, remoteAddress: '10.200.0.3' });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('editors, viewers, reviewers, another tenant’s admin and tenant admins on the platform are refused; an unknown tenant id is 404', async () => {
    const a = await createTestTenant(svc.t.db);
    const b = await createTestTenant(svc.t.db);
    const adminOfA = (await svc.steppedUp(await person([{ tenantId: a, role: 'admin' }]))).accessToken;
    await refused(call('POST', `/v1/tenants/${b}/trust-page/publications`, { token: adminOfA }), 403, 'forbidden');
    await refused(call('POST', `/v1/tenants/${b}/trust-page`, { token: adminOfA, body: { format: 'html' } }), 403, 'forbidden');
    await refused(call('GET', `/v1/tenants/${b}/trust-page/publications`, { token: adminOfA }), 403, 'forbidden');
    await refused(call('POST', `/v1/tenants/${PLATFORM_TENANT_ID}/trust-page/publications`, { token: adminOfA }), 403, 'forbidden');
    for (const role of ['editor', 'viewer', 'reviewer'] as const) {
      const token = (await svc.steppedUp(await person([{ tenantId: b, role }]))).accessToken;
      await refused(call('POST', `/v1/tenants/${b}/trust-page/publications`, { token }), 403, 'forbidden');
    }
    const auditor = (await svc.steppedUp(await person([], ['auditor']))).accessToken;
    await refused(call('POST', `/v1/tenants/${PLATFORM_TENANT_ID}/trust-page/publications`, { token: auditor }), 403, 'forbidden');
    await refused(call('POST', `/v1/tenants/${b}/trust-page/publications`, {}), 401, 'auth_required');
    const platformAdmin = (await svc.steppedUp(await person([], ['platform_admin']))).accessToken;
    await refused(call('POST', '/v1/tenants/7c9e6679-7425-40de-944b-e07fc1f90ae7/trust-page/publications', { token: platformAdmin }), 404, 'not_found');
    // Nothing was published by any of them.
    expect(errorOf(await call('GET', `/trust/${await slugOf(b)}`))).toEqual({ status: 404, code: 'not_found' });
    expect((await audit(b)).some((e) => e.action === 'trust_page.published')).toBe(false);
  });

  it('the platform’s page: a platform admin publishes it at /trust/_platform, in the platform’s log; no tenant can hold that slug', async () => {
    const admin = await person([], ['platform_admin']);
    const pub = await publish(PLATFORM_TENANT_ID, (await svc.steppedUp(admin)).accessToken);
    expect(pub.path).toBe('/trust/_platform');
    const page = await call('GET', '/trust/_platform');
    expect(verifyTrustPage(page.body)).toMatchObject({ ok: true, tenantId: PLATFORM_TENANT_ID, subject: { slug: '_platform' } });
    expect((await platformAudit()).find((e) => e.action === 'trust_page.published')).toMatchObject({ actor: { id: admin.userId } });
    const officer = (await svc.steppedUp(await person([], ['platform_admin']))).accessToken;
    const taken = await call('POST', '/v1/tenants', { token: officer, body: { name: 'Platform squatter', slug: '_platform', region: 'eu', plan: 'team', ownerEmail: 'o@example.com' } });
    expect(errorOf(taken)).toEqual({ status: 400, code: 'validation_failed' });
  });

  it('unknown, malformed, never published and suspended slugs are 404 not_found, with the anonymous rate limit', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    const slug = await slugOf(tenant);
    for (const path of ['/trust/no-such-tenant', '/trust/NOT_A_SLUG', `/trust/${slug}`, `/trust/${slug}/snapshot.json`, '/trust/%3Cscript%3E'])
      expect(errorOf(await call('GET', path)), path).toEqual({ status: 404, code: 'not_found' });
    await publish(tenant, (await svc.steppedUp(owner)).accessToken);
    expect((await call('GET', `/trust/${slug}`)).statusCode).toBe(200);
    await svc.t.engine.query("UPDATE tenants SET status = 'suspended' WHERE id = $1", [tenant]);
    expect(errorOf(await call('GET', `/trust/${slug}`))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await call('GET', `/trust/${slug}/snapshot.json`))).toEqual({ status: 404, code: 'not_found' });
    await svc.t.engine.query("UPDATE tenants SET status = 'active' WHERE id = $1", [tenant]);
    const statuses: number[] = [];
    for (let i = 0; i < 130; i++) statuses.push((await svc.app.inject({ method: 'GET', url: `/trust/${slug}`, remoteAddress: '10.201.0.9' })).statusCode);
    expect(statuses.slice(0, 100).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('a tenant without MFA enforced gets the honest statement with its plan; markup in its name and plan comes out inert', async () => {
    const tenant = await createTestTenant(svc.t.db, '<script>alert(1)</script> & <b>Co</b>');
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    await svc.t.engine.query('INSERT INTO tenant_security_policies (tenant_id, mfa_required, idle_timeout_seconds, absolute_timeout_seconds) VALUES ($1, false, 3600, 43200) ON CONFLICT (tenant_id) DO UPDATE SET mfa_required = false', [tenant]);
    const target = new Date(clock.getTime() + 30 * DAY).toISOString().slice(0, 10);
    await svc.t.engine.query(
      "INSERT INTO posture_remediations (tenant_id, control_id, owner_user_id, target_date, compensating_controls, status, created_at, updated_at) VALUES ($1, 'auth.mfa', $2, $3, $4, 'open', $5, $5)",
      [tenant, owner.userId, target, 'VPN only <img src=x onerror=alert(1)>\n[click](javascript:alert(1))', clock],
    );
    const pub = await publish(tenant, (await svc.steppedUp(owner)).accessToken);
    const html = (await call('GET', pub.path)).body;
    expect(html).toContain('<p class="statement" data-control="auth.mfa">A second factor is not enforced for every member');
    expect(html).toContain(`A remediation plan is kept with an owner; target ${target}; compensating controls: VPN only &lt;img src=x onerror=alert(1)&gt; [click](javascript:alert(1)).`);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;: security and trust');
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).not.toContain('Every member signs in with a second factor');
    expect(verifyTrustPage(html)).toMatchObject({ ok: true });
    const preview = TrustPagePreviewSchema.parse(
      (await call('POST', `/v1/tenants/${tenant}/trust-page`, { token: (await svc.session(owner)).accessToken, body: { format: 'markdown' } })).json(),
    );
    expect(preview.body).toContain('compensating controls: VPN only &lt;img src=x onerror=alert(1)&gt; \\[click\\](javascript:alert(1)).');
    expect(preview.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;: security and trust');
  });
});
