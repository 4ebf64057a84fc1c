import type { MfaPolicy, MfaPolicyState, RemediationPlan } from '../../shared/identity/members';
import { appendAuditEvent, type Actor } from '../audit/audit-log';
import type { TenantTx } from '../db/db';
import { ApiError } from '../http/api-error';
import { defaultTenantPolicy } from '../auth/sign-in';
import { deleteRemediationPlan, upsertRemediationPlan } from '../posture/remediation-repository';

/** The MFA policy's plan is the posture plan of control auth.mfa (migration 0021): one source of truth. */
const MFA_CONTROL = 'auth.mfa';

interface PlanRow extends Record<string, unknown> {
  owner_user_id: string;
  target_date: Date | string;
  compensating_controls: string;
}

/** A DATE column comes back as a string (PGlite) or a local-midnight Date (node-postgres). */
const isoDate = (d: Date | string): string =>
  typeof d === 'string'
    ? d.slice(0, 10)
    : `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export const getMfaPolicy = async (tx: TenantTx): Promise<MfaPolicyState> => {
  const policy = await tx.query<{ mfa_required: boolean }>('SELECT mfa_required FROM tenant_security_policies WHERE tenant_id = $1', [tx.tenantId]);
  const plan = await tx.query<PlanRow>(
    'SELECT owner_user_id, target_date::text AS target_date, compensating_controls FROM posture_remediations WHERE tenant_id = $1 AND control_id = $2',
    [tx.tenantId, MFA_CONTROL],
  );
  const p = plan[0];
  return {
    mfaRequired: policy[0]?.mfa_required ?? defaultTenantPolicy.mfaRequired,
    remediationPlan: p ? { ownerUserId: p.owner_user_id, targetDate: isoDate(p.target_date), compensatingControls: p.compensating_controls } : null,
  };
};

/**
 * Turns enforcement on (the plan, no longer needed, is dropped) or off with a
 * remediation plan whose owner is an active member of the tenant.
 */
export const setMfaPolicy = async (tx: TenantTx, change: MfaPolicy, c: { actor: Actor; requestId: string; now: Date }): Promise<MfaPolicyState | ApiError> => {
  const before = await getMfaPolicy(tx);
  let plan: RemediationPlan | null = null;
  if (!change.mfaRequired) {
    plan = change.remediationPlan;
    const owner = await tx.query("SELECT 1 FROM memberships WHERE tenant_id = $1 AND user_id = $2 AND status = 'active'", [tx.tenantId, plan.ownerUserId]);
    if (owner.length === 0) {
      const message = "The plan's owner must be an active member of this tenant.";
      return new ApiError(400, 'validation_failed', message, [{ path: 'body.remediationPlan.ownerUserId', message }]);
    }
  }
  await tx.query(
    `INSERT INTO tenant_security_policies (tenant_id, mfa_required, idle_timeout_seconds, absolute_timeout_seconds) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id) DO UPDATE SET mfa_required = $2`,
    [tx.tenantId, change.mfaRequired, defaultTenantPolicy.idleTimeout, defaultTenantPolicy.absoluteTimeout],
  );
  // The plan's status (set in the posture console) is kept across MFA policy edits.
  if (plan) await upsertRemediationPlan(tx, MFA_CONTROL, { ...plan, status: null }, c.now);
  else await deleteRemediationPlan(tx, MFA_CONTROL);
  await appendAuditEvent(tx, {
    actor: c.actor,
    action: 'tenant.mfa_policy_changed',
    target: `tenant:${tx.tenantId}`,
    requestId: c.requestId,
    details: {
      from: before.mfaRequired,
      mfaRequired: change.mfaRequired,
      ...(plan ? { remediationPlan: { ownerUserId: plan.ownerUserId, targetDate: plan.targetDate } } : {}),
    },
    // Free text may name people: kept beside the hashed leaf, where erasure can reach it.
    ...(plan ? { personal: { compensatingControls: plan.compensatingControls } } : {}),
  });
  return { mfaRequired: change.mfaRequired, remediationPlan: plan };
};
