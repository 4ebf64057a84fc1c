import { randomUUID } from 'node:crypto';
import type { TenantCreated, CreateTenantRequest } from '../../shared/tenants/api';
import type { TenantId } from '../../shared/tenants/tenant';
import { appendAuditEvent, freeText, type Actor } from '../audit/audit-log';
import { defaultTenantPolicy } from '../auth/sign-in';
import type { Db } from '../db/db';
import { ApiError } from '../http/api-error';
import { createInvite } from '../members/invites';
import { createTenant, slugTaken } from './tenant-repository';

const SLUG_TAKEN = () => new ApiError(409, 'slug_taken', 'Another tenant has this slug; choose another.');

/** A unique violation on the slug index: a parallel create of the same slug committed first. */
const isSlugConflict = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505' && (err as { constraint?: unknown }).constraint === 'tenants_slug';

/**
 * Creates a tenant ready to be used: the tenant, its security policy (the
 * defaults), the first owner's invitation (issue 11's rules: a new person sets a
 * password on accepting, an existing account accepts signed in as itself) and the
 * audit events in the platform's log and the new tenant's, in one transaction.
 */
export const onboardTenant = async (
  db: Db,
  input: CreateTenantRequest,
  c: { actor: Actor; requestId: string; now: Date },
): Promise<TenantCreated> => {
  const id = randomUUID() as TenantId;
  try {
    const result = await db.tenantAndPlatform(id, async (tx): Promise<TenantCreated | ApiError> => {
      if (await slugTaken(tx.platform, input.slug)) return SLUG_TAKEN();
      const tenant = await createTenant(tx.platform, { id, name: input.name, slug: input.slug, region: input.region, plan: input.plan, createdAt: c.now }, c.actor, c.requestId);
      await tx.tenant.query(
        'INSERT INTO tenant_security_policies (tenant_id, mfa_required, idle_timeout_seconds, absolute_timeout_seconds) VALUES ($1, $2, $3, $4)',
        [id, defaultTenantPolicy.mfaRequired, defaultTenantPolicy.idleTimeout, defaultTenantPolicy.absoluteTimeout],
      );
      const text = freeText({ name: tenant.name, slug: tenant.slug });
      await appendAuditEvent(tx.tenant, {
        actor: c.actor,
        action: 'tenant.created',
        target: `tenant:${id}`,
        requestId: c.requestId,
        details: {
          region: tenant.region,
          plan: tenant.plan,
          mfaRequired: defaultTenantPolicy.mfaRequired,
          idleTimeoutSeconds: defaultTenantPolicy.idleTimeout,
          absoluteTimeoutSeconds: defaultTenantPolicy.absoluteTimeout,
          ...text.lengths,
        },
        personal: text.personal,
      });
      const invite = await createInvite(tx, { email: input.ownerEmail, role: 'owner' }, c);
      if (invite instanceof ApiError) throw invite;
      return { tenant, invite };
    });
    if (result instanceof ApiError) throw result;
    return result;
  } catch (err) {
    if (isSlugConflict(err)) throw SLUG_TAKEN();
    throw err;
  }
};
