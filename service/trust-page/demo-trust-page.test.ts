/**
 * The demo's Globex Retail does not enforce MFA and carries a remediation plan:
 * its published page says so honestly, with the plan (never its owner), and
 * makes no MFA promise; the page verifies.
 */
import { describe, expect, it } from 'vitest';
import { TrustPagePublicationSchema } from '../../shared/trust-page/api';
import { verifyTrustPage } from '../../shared/trust-page/verify';
import type { TenantId } from '../../shared/tenants/tenant';
import { DEMO_MFA_EXCEPTION, seedDemo } from '../demo/demo-seed';
import { membersKit } from '../security/members-kit';
import { TEST_ENGINES } from '../testing/databases';
import { inProcessService } from '../testing/in-process-service';

describe.each(TEST_ENGINES)('the demo’s Globex Retail trust page, on %s', (kind) => {
  const clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person } = membersKit(svc, () => clock);

  it('states that MFA is not enforced, with the plan’s target and compensating controls, and no MFA promise', async () => {
    const seeded = await seedDemo(svc.t.db, { keys: svc.keys, hasher: svc.hasher, now: clock });
    expect(seeded).not.toBeNull();
    const [globex] = await svc.t.engine.query<{ id: TenantId; slug: string }>('SELECT id, slug FROM tenants WHERE name = $1', [DEMO_MFA_EXCEPTION.tenant]);
    const admin = await person([{ tenantId: globex!.id, role: 'admin' }]);
    const res = await call('POST', `/v1/tenants/${globex!.id}/trust-page/publications`, { token: (await svc.steppedUp(admin)).accessToken });
    expect(res.statusCode, res.body).toBe(201);
    const page = (await call('GET', TrustPagePublicationSchema.parse(res.json()).path)).body;
    const target = new Date(clock.getTime() + DEMO_MFA_EXCEPTION.targetInDays * 86_400_000).toISOString().slice(0, 10);
    expect(page).toMatch(/<p class="statement" data-control="auth\.mfa">A second factor is not enforced for every member: \d+% of active members are enrolled\.<\/p>/);
    expect(page).toContain(
      `<p class="remediation" data-control="auth.mfa">A remediation plan is kept with an owner; target ${target}; compensating controls: ${DEMO_MFA_EXCEPTION.compensatingControls.replace(/\.$/, '')}.</p>`,
    );
    expect(page).not.toContain('Every member signs in with a second factor');
    expect(page).not.toContain(DEMO_MFA_EXCEPTION.planOwner);
    expect(page).toContain('Globex Retail: security and trust');
    expect(verifyTrustPage(page)).toMatchObject({ ok: true });
  });
});
