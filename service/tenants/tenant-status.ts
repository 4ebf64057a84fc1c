import type { TenantStatus } from '../../shared/tenants/tenant';
import { appendAuditEvent, type Actor } from '../audit/audit-log';
import type { PlatformTx, TenantTx } from '../db/db';
import { ApiError } from '../http/api-error';
import { lockTenant } from './tenant-repository';

const ALREADY = (status: TenantStatus) =>
  new ApiError(409, 'conflict', status === 'suspended' ? 'This tenant is already suspended.' : 'This tenant is not suspended.');

/** Refuses a request to move the tenant to the status it already has (404 when it does not exist). */
export const refuseStatusNoop = async (tx: TenantTx, status: TenantStatus): Promise<ApiError | null> => {
  const rows = await tx.query<{ status: TenantStatus }>('SELECT status FROM tenants WHERE id = $1', [tx.tenantId]);
  if (!rows[0]) return new ApiError(404, 'not_found', 'No tenant with this id.');
  return rows[0].status === status ? ALREADY(status) : null;
};

/**
 * Suspends or reinstates the tenant (run when a second person approves), audited
 * in the platform's log and the tenant's. Only the status changes: data, logs,
 * sessions and incident deadlines are left as they are. Token validation reads the
 * status on the next request (the tenants trigger of 0018 drops cached tokens).
 */
export const setTenantStatus = async (
  tx: { tenant: TenantTx; platform: PlatformTx },
  status: TenantStatus,
  c: { actor: Actor; requestId: string; now: Date; provenance: Record<string, string> },
): Promise<void> => {
  const tenant = await lockTenant(tx.platform, tx.tenant.tenantId);
  if (!tenant) throw new ApiError(404, 'not_found', 'No tenant with this id.');
  if (tenant.status === status) throw ALREADY(status);
  await tx.platform.query('UPDATE tenants SET status = $2, status_changed_at = $3 WHERE id = $1', [tenant.id, status, c.now.toISOString()]);
  const event = {
    actor: c.actor,
    action: status === 'suspended' ? 'tenant.suspended' : 'tenant.reinstated',
    target: `tenant:${tenant.id}`,
    requestId: c.requestId,
    details: { before: tenant.status, after: status, ...c.provenance },
  };
  await appendAuditEvent(tx.platform, event);
  await appendAuditEvent(tx.tenant, event);
};
