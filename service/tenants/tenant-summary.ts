import type { TenantSummary } from '../../shared/tenants/api';
import { currentTree } from '../audit/audit-log';
import { latestTreeHead } from '../audit/tree-heads';
import type { PlatformTx, TenantTx } from '../db/db';
import { countOpenIncidents } from '../incidents/incident-repository';
import { mfaEnrolmentCounts } from '../members/member-repository';
import { countLiveSessions } from '../sessions/live-session-count';

/**
 * A tenant's counts, each counted in SQL in the tenant's own scope (RLS) under
 * the same rules as the Users, Sessions, Incidents and Audit views, so the
 * counts match what those views list. Live sessions are counted as the Sessions
 * view shows them to the caller: under the current limits, and without platform
 * staff's unless the caller acts for the platform.
 */
export const tenantSummary = async (
  tx: { tenant: TenantTx; platform: PlatformTx },
  c: { now: Date; forPlatform: boolean },
): Promise<TenantSummary> => {
  const statuses = await tx.tenant.query<{ status: string; n: number | string }>('SELECT status, count(*) AS n FROM memberships WHERE tenant_id = $1 GROUP BY status', [
    tx.tenant.tenantId,
  ]);
  const members = (status: string) => Number(statuses.find((r) => r.status === status)?.n ?? 0);
  const mfa = await mfaEnrolmentCounts(tx.tenant);
  const liveSessions = await countLiveSessions(tx, c);
  const openIncidents = await countOpenIncidents(tx.tenant);
  const head = await latestTreeHead(tx.tenant);
  const verified = await tx.tenant.query<{ at: Date | string | null }>("SELECT max(at) AS at FROM audit_events WHERE tenant_id = $1 AND action = 'audit.verified'", [
    tx.tenant.tenantId,
  ]);
  const lastVerifiedAt = verified[0]?.at ? new Date(verified[0].at).toISOString() : null;
  return {
    tenantId: tx.tenant.tenantId,
    members: { active: members('active'), invited: members('invited'), deactivated: members('deactivated') },
    mfa: { enrolled: mfa.enrolled, notEnrolled: mfa.notEnrolled },
    liveSessions,
    openIncidents,
    // lastVerifiedAt: when `audit verify` last found the whole log intact (recordVerifications).
    audit: { treeSize: (await currentTree(tx.tenant)).size, headIssuedAt: head?.timestamp ?? null, lastVerifiedAt },
  };
};
