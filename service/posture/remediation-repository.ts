import { PERMISSIONS } from '../../shared/identity/permissions';
import type { Remediation } from '../../shared/posture/api';
import type { RemediationPlan, RemediationStatus } from '../../shared/posture/remediation';
import type { ScopedTx } from '../db/db';
import { scopeTenantId } from '../db/db';

/**
 * Remediation plans of posture controls (migration 0021), in the scope's own rows:
 * a tenant's under RLS, the platform's under the nil id. The MFA policy keeps its
 * plan here too, as control auth.mfa.
 */

interface PlanRow extends Record<string, unknown> {
  control_id: string;
  owner_user_id: string;
  owner_display_name: string | null;
  target_date: string;
  compensating_controls: string;
  status: RemediationStatus;
  created_at: Date | string;
  updated_at: Date | string;
  owner_assigned: boolean;
}

/** The tenant roles that may manage posture: a plan's owner in a tenant must hold one. */
export const PLAN_OWNER_ROLES: readonly string[] = PERMISSIONS['posture.remediate'].tenantRoles;

/** Whether the owner may still act on the plan: an active owner/admin of the tenant, or (platform) unexpired staff. */
const OWNER_ASSIGNED = (tx: ScopedTx): string =>
  tx.scope === 'tenant'
    ? "EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = r.tenant_id AND m.user_id = r.owner_user_id AND m.status = 'active' AND m.role = ANY($2::text[]))"
    : 'EXISTS (SELECT 1 FROM platform_role_grants g WHERE g.user_id = r.owner_user_id AND (g.expires_at IS NULL OR g.expires_at > $2::timestamptz))';

const PLAN_COLUMNS =
  "r.control_id, r.owner_user_id, u.display_name AS owner_display_name, to_char(r.target_date, 'YYYY-MM-DD') AS target_date, r.compensating_controls, r.status, r.created_at, r.updated_at";

const selectPlans = (tx: ScopedTx, now: Date, controlId?: string): Promise<PlanRow[]> =>
  tx.query<PlanRow>(
    `SELECT ${PLAN_COLUMNS}, ${OWNER_ASSIGNED(tx)} AS owner_assigned
       FROM posture_remediations r LEFT JOIN users u ON u.id = r.owner_user_id
      WHERE r.tenant_id = $1 ${controlId ? 'AND r.control_id = $3' : ''} ORDER BY r.control_id`,
    [scopeTenantId(tx), tx.scope === 'tenant' ? [...PLAN_OWNER_ROLES] : now.toISOString(), ...(controlId ? [controlId] : [])],
  );

const toPlan = (r: PlanRow): RemediationPlan => ({
  controlId: r.control_id,
  ownerUserId: r.owner_user_id,
  ownerDisplayName: r.owner_display_name ?? '',
  targetDate: r.target_date,
  compensatingControls: r.compensating_controls,
  status: r.status,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

export const listRemediationPlans = async (tx: ScopedTx, now: Date): Promise<RemediationPlan[]> => (await selectPlans(tx, now)).map(toPlan);

export const getRemediationPlan = async (tx: ScopedTx, controlId: string, now: Date): Promise<RemediationPlan | null> => {
  const [row] = await selectPlans(tx, now, controlId);
  return row ? toPlan(row) : null;
};

export const todayOf = (now: Date): string => now.toISOString().slice(0, 10);

/** The plans as a posture carries them: no owner, only whether one is assigned; overdue once the date passed and it is not done. */
export const remediationsForPosture = async (tx: ScopedTx, now: Date): Promise<Map<string, Remediation>> => {
  const rows = await selectPlans(tx, now);
  return new Map(
    rows.map((r) => [
      r.control_id,
      {
        targetDate: r.target_date,
        compensatingControls: r.compensating_controls,
        updatedAt: new Date(r.updated_at).toISOString(),
        status: r.status,
        ownerAssigned: r.owner_assigned,
        overdue: r.status !== 'done' && todayOf(now) > r.target_date,
      },
    ]),
  );
};

/** Whether `userId` may own a plan in this scope (see OWNER_ASSIGNED). */
export const mayOwnPlan = async (tx: ScopedTx, userId: string, now: Date): Promise<boolean> => {
  const rows =
    tx.scope === 'tenant'
      ? await tx.query("SELECT 1 FROM memberships WHERE tenant_id = $1 AND user_id = $2 AND status = 'active' AND role = ANY($3::text[])", [
          tx.tenantId,
          userId,
          [...PLAN_OWNER_ROLES],
        ])
      : await tx.query('SELECT 1 FROM platform_role_grants WHERE user_id = $1 AND (expires_at IS NULL OR expires_at > $2)', [userId, now.toISOString()]);
  return rows.length > 0;
};

export interface PlanWrite {
  readonly ownerUserId: string;
  readonly targetDate: string;
  readonly compensatingControls: string;
  /** Null keeps the stored status (open for a new plan). */
  readonly status: RemediationStatus | null;
}

/** Inserts or replaces the plan; the row is locked by the upsert until the transaction ends. Returns the status it was in before (null: new). */
export const upsertRemediationPlan = async (tx: ScopedTx, controlId: string, plan: PlanWrite, now: Date): Promise<{ before: RemediationStatus | null }> => {
  const [prior] = await tx.query<{ status: RemediationStatus }>('SELECT status FROM posture_remediations WHERE tenant_id = $1 AND control_id = $2 FOR UPDATE', [
    scopeTenantId(tx),
    controlId,
  ]);
  await tx.query(
    `INSERT INTO posture_remediations (tenant_id, control_id, owner_user_id, target_date, compensating_controls, status, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, coalesce($6, 'open'), $7, $7)
     ON CONFLICT (tenant_id, control_id) DO UPDATE
       SET owner_user_id = $3, target_date = $4, compensating_controls = $5, status = coalesce($6, posture_remediations.status), updated_at = $7`,
    [scopeTenantId(tx), controlId, plan.ownerUserId, plan.targetDate, plan.compensatingControls, plan.status, now.toISOString()],
  );
  return { before: prior?.status ?? null };
};

/** Removes the plan; false when there was none. */
export const deleteRemediationPlan = async (tx: ScopedTx, controlId: string): Promise<boolean> =>
  (await tx.query('DELETE FROM posture_remediations WHERE tenant_id = $1 AND control_id = $2 RETURNING 1', [scopeTenantId(tx), controlId])).length > 0;
