/** Test helper: trust pages the real service published (through its routes), with the service's public key read from storage. */
import { expect } from 'vitest';
import { TrustPagePublicationSchema } from '../../shared/trust-page/api';
import type { TenantId } from '../../shared/tenants/tenant';
import type { membersKit } from '../security/members-kit';
import type { InProcessService } from '../testing/in-process-service';

const DAY = 24 * 60 * 60 * 1000;

export interface PublishedPage {
  readonly tenant: TenantId;
  readonly html: string;
  readonly markdown: string;
  /** The service's current audit signing key, raw, as stored (what a verifier would pin). */
  readonly publicKey: Uint8Array;
}

export const publishedPages = (svc: InProcessService, kit: ReturnType<typeof membersKit>) => {
  const publishNow = async (tenant: TenantId): Promise<PublishedPage> => {
    const owner = await kit.person([{ tenantId: tenant, role: 'owner' }]);
    const res = await kit.call('POST', `/v1/tenants/${tenant}/trust-page/publications`, { token: (await svc.steppedUp(owner)).accessToken });
    expect(res.statusCode, res.body).toBe(201);
    const pub = TrustPagePublicationSchema.parse(res.json());
    const page = await kit.call('GET', pub.path);
    expect(page.statusCode).toBe(200);
    const [row] = await svc.t.engine.query<{ markdown: string }>('SELECT markdown FROM trust_page_publications WHERE tenant_id = $1 AND id = $2', [tenant, pub.id]);
    const [key] = await svc.t.engine.query<{ public_key: Uint8Array }>('SELECT public_key FROM audit_signing_keys WHERE retired_at IS NULL');
    return { tenant, html: page.body, markdown: row!.markdown, publicKey: Uint8Array.from(key!.public_key) };
  };
  return {
    /**
     * A tenant with an owner, `viewers` viewers, MFA not enforced and a remediation
     * plan: its page has passing claims with figures and the honest MFA statement.
     */
    publish: async (tenant: TenantId, viewers: number): Promise<PublishedPage> => {
      const owner = await kit.person([{ tenantId: tenant, role: 'owner' }]);
      for (let i = 0; i < viewers; i++) await kit.person([{ tenantId: tenant, role: 'viewer' }]);
      await svc.t.engine.query(
        `INSERT INTO tenant_security_policies (tenant_id, mfa_required, idle_timeout_seconds, absolute_timeout_seconds) VALUES ($1, false, 3600, 43200)
         ON CONFLICT (tenant_id) DO UPDATE SET mfa_required = false`,
        [tenant],
      );
      await svc.t.engine.query(
        "INSERT INTO posture_remediations (tenant_id, control_id, owner_user_id, target_date, compensating_controls, status, created_at, updated_at) VALUES ($1, 'auth.mfa', $2, $3, $4, 'open', now(), now())",
        [tenant, owner.userId, new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10), 'Sign-ins only from the office network'],
      );
      return publishNow(tenant);
    },
    republishWithMfaEnforced: async (tenant: TenantId): Promise<PublishedPage> => {
      await svc.t.engine.query('UPDATE tenant_security_policies SET mfa_required = true WHERE tenant_id = $1', [tenant]);
      return publishNow(tenant);
    },
  };
};
