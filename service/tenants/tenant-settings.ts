import type { TenantSettings, UpdateTenantSettingsRequest } from '../../shared/tenants/api';
import type { Plan, Tenant } from '../../shared/tenants/tenant';
import { SESSION_LIMIT_BOUNDS, sessionLimitProblems } from '../../shared/policy/identity';
import { appendAuditEvent, freeText, type Actor } from '../audit/audit-log';
import { defaultTenantPolicy } from '../auth/sign-in';
import type { PlatformTx, TenantTx } from '../db/db';
import { ApiError } from '../http/api-error';
import { getTenant, lockTenant } from './tenant-repository';

interface PolicyRow extends Record<string, unknown> {
  mfa_required: boolean;
  idle_timeout_seconds: number;
  absolute_timeout_seconds: number;
}

const NOT_FOUND = () => new ApiError(404, 'not_found', 'No tenant with this id.');

/** The tenant's security policy (the defaults while it has no row), read in its own scope. */
const policyOf = async (tx: TenantTx): Promise<{ mfaRequired: boolean; idleTimeoutSeconds: number; absoluteTimeoutSeconds: number }> => {
  const row = (await tx.query<PolicyRow>('SELECT mfa_required, idle_timeout_seconds, absolute_timeout_seconds FROM tenant_security_policies WHERE tenant_id = $1', [tx.tenantId]))[0];
  return {
    mfaRequired: row?.mfa_required ?? defaultTenantPolicy.mfaRequired,
    idleTimeoutSeconds: row?.idle_timeout_seconds ?? defaultTenantPolicy.idleTimeout,
    absoluteTimeoutSeconds: row?.absolute_timeout_seconds ?? defaultTenantPolicy.absoluteTimeout,
  };
};

const settingsOf = (tenant: Tenant, policy: Awaited<ReturnType<typeof policyOf>>): TenantSettings => ({
  name: tenant.name,
  plan: tenant.plan,
  region: tenant.region,
  status: tenant.status,
  ...policy,
  bounds: { idle: { ...SESSION_LIMIT_BOUNDS.idle }, absolute: { ...SESSION_LIMIT_BOUNDS.absolute } },
});

/** The tenant's settings, read under its own RLS scope. */
export const getTenantSettings = async (tx: TenantTx): Promise<TenantSettings | ApiError> => {
  const tenant = await getTenant(tx);
  return tenant ? settingsOf(tenant, await policyOf(tx)) : NOT_FOUND();
};

export interface SettingsChange {
  readonly actor: Actor;
  readonly requestId: string;
}

/**
 * Changes the name and the session limits (within SESSION_LIMIT_BOUNDS: 400
 * session_limit_out_of_bounds with the bounds in details otherwise), audited in the
 * tenant's log with before and after. Session validation reads the policy on every
 * request, so the new limits apply to existing sessions at their next one.
 */
export const updateTenantSettings = async (
  tx: { tenant: TenantTx; platform: PlatformTx },
  change: UpdateTenantSettingsRequest,
  c: SettingsChange,
): Promise<TenantSettings | ApiError> => {
  const tenant = await lockTenant(tx.platform, tx.tenant.tenantId);
  if (!tenant) return NOT_FOUND();
  const before = await policyOf(tx.tenant);
  const after = {
    ...before,
    idleTimeoutSeconds: change.idleTimeoutSeconds ?? before.idleTimeoutSeconds,
    absoluteTimeoutSeconds: change.absoluteTimeoutSeconds ?? before.absoluteTimeoutSeconds,
  };
  const limitsChanged = after.idleTimeoutSeconds !== before.idleTimeoutSeconds || after.absoluteTimeoutSeconds !== before.absoluteTimeoutSeconds;
  const problems = limitsChanged ? sessionLimitProblems(after) : [];
  if (problems.length > 0) {
    return new ApiError(400, 'session_limit_out_of_bounds', 'The session limits must stay within the bounds.', problems, undefined, { bounds: SESSION_LIMIT_BOUNDS });
  }
  const name = change.name ?? tenant.name;
  const nameChanged = name !== tenant.name;
  if (!nameChanged && !limitsChanged) return settingsOf(tenant, before);
  if (nameChanged) await tx.platform.query('UPDATE tenants SET name = $2 WHERE id = $1', [tenant.id, name]);
  if (limitsChanged) {
    await tx.tenant.query(
      `INSERT INTO tenant_security_policies (tenant_id, mfa_required, idle_timeout_seconds, absolute_timeout_seconds) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id) DO UPDATE SET idle_timeout_seconds = $3, absolute_timeout_seconds = $4`,
      [tenant.id, before.mfaRequired, after.idleTimeoutSeconds, after.absoluteTimeoutSeconds],
    );
  }
  const text = nameChanged ? freeText({ nameBefore: tenant.name, nameAfter: name }) : null;
  await appendAuditEvent(tx.tenant, {
    actor: c.actor,
    action: 'tenant.settings_changed',
    target: `tenant:${tenant.id}`,
    requestId: c.requestId,
    details: {
      ...(limitsChanged
        ? {
            idleTimeoutSeconds: { before: before.idleTimeoutSeconds, after: after.idleTimeoutSeconds },
            absoluteTimeoutSeconds: { before: before.absoluteTimeoutSeconds, after: after.absoluteTimeoutSeconds },
          }
        : {}),
      nameChanged,
      ...(text ? text.lengths : {}),
    },
    ...(text ? { personal: text.personal } : {}),
  });
  return settingsOf({ ...tenant, name }, after);
};

/** Changes the plan (platform staff), audited with before and after in the platform's log and the tenant's. */
export const setTenantPlan = async (tx: { tenant: TenantTx; platform: PlatformTx }, plan: Plan, c: SettingsChange): Promise<TenantSettings | ApiError> => {
  const tenant = await lockTenant(tx.platform, tx.tenant.tenantId);
  if (!tenant) return NOT_FOUND();
  const policy = await policyOf(tx.tenant);
  if (tenant.plan === plan) return settingsOf(tenant, policy);
  await tx.platform.query('UPDATE tenants SET plan = $2 WHERE id = $1', [tenant.id, plan]);
  const event = { actor: c.actor, action: 'tenant.plan_changed', target: `tenant:${tenant.id}`, requestId: c.requestId, details: { before: tenant.plan, after: plan } };
  await appendAuditEvent(tx.platform, event);
  await appendAuditEvent(tx.tenant, event);
  return settingsOf({ ...tenant, plan }, policy);
};
