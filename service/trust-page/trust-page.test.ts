import { describe, expect, it } from 'vitest';
import { TrustPagePublicationSchema, TrustPagePreviewSchema } from '../../shared/trust-page/api';
import { verifyTrustPage } from '../../shared/trust-page/verify';
import { PLATFORM_TENANT_ID } from '../db/db';
import { membersKit } from '../security/members-kit';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';

describe.each(TEST_ENGINES)('the trust page, published and served, on %s', (kind) => {
  const clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person } = membersKit(svc, () => clock);

  it('an owner publishes with a step-up; anyone fetches the page without a token, and it verifies', async () => {
    const tenant = await createTestTenant(svc.t.db, 'Trust Co');
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    const preview = await call('POST', `/v1/tenants/${tenant}/trust-page`, { token: (await svc.session(owner)).accessToken, body: { format: 'html' } });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(TrustPagePreviewSchema.parse(preview.json()).body).toContain('Preview');
    const res = await call('POST', `/v1/tenants/${tenant}/trust-page/publications`, { token: (await svc.steppedUp(owner)).accessToken });
    expect(res.statusCode, res.body).toBe(201);
    const pub = TrustPagePublicationSchema.parse(res.json());
    const page = await call('GET', pub.path);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(verifyTrustPage(page.body)).toMatchObject({ ok: true, keyPinned: false });
    const platform = await call('POST', `/v1/tenants/${PLATFORM_TENANT_ID}/trust-page/publications`, {
      token: (await svc.steppedUp(await person([], ['platform_admin']))).accessToken,
    });
    expect(platform.statusCode, platform.body).toBe(201);
    expect(verifyTrustPage((await call('GET', '/trust/_platform')).body)).toMatchObject({ ok: true });
  });
});
