import type { endpoints } from '../../shared/api/endpoints';
import type { TenantId } from '../../shared/tenants/tenant';
import { actorOf } from '../auth/principal';
import { PLATFORM_TENANT_ID, scopeTenantId, type ScopedTx } from '../db/db';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { getTenant } from '../tenants/tenant-repository';
import { exportAuditLog } from './audit-export';
import { appendAuditEvent, erasePersonalAuditData } from './audit-log';
import { auditEventPage, auditPullPage } from './audit-query';
import { proveConsistency, proveInclusion } from './proofs';
import { listAuditKeys } from './signing-key';
import { inLog } from './tree-heads';

export const auditHandlers = ({ db, audit }: HandlerDeps) => {
  /** The log of the path: a tenant that exists, or the platform's own (nil UUID). */
  const existingLog = async (tenantId: string): Promise<string> => {
    if (tenantId !== PLATFORM_TENANT_ID && !(await db.tenant(tenantId as TenantId, getTenant))) {
      throw new ApiError(404, 'not_found', 'No tenant with this id.');
    }
    return tenantId;
  };
  /** fn in one transaction on the log of the path, after checking that its tenant exists (404 otherwise). */
  const inExistingLog = <T>(tenantId: string, fn: (tx: ScopedTx) => Promise<T>): Promise<T> =>
    inLog(db, tenantId, async (tx) => {
      if (tx.scope === 'tenant' && !(await getTenant(tx))) throw new ApiError(404, 'not_found', 'No tenant with this id.');
      return fn(tx);
    });
  return {
    auditKeys: async () => {
      await audit.publishKey();
      return { items: await db.platform(listAuditKeys) };
    },
    auditEvents: async ({ params, query }) => inExistingLog(params.tenantId, (tx) => auditEventPage(tx, query)),
    auditPull: async ({ params, query }) => inExistingLog(params.tenantId, (tx) => auditPullPage(tx, query)),
    auditTreeHead: async ({ params }) => audit.latest(await existingLog(params.tenantId)),
    auditIssueTreeHead: async ({ params }) => audit.issue(await existingLog(params.tenantId)),
    auditInclusionProof: async ({ params, query }) => inExistingLog(params.tenantId, (tx) => proveInclusion(tx, query.seq, query.treeSize)),
    auditConsistencyProof: async ({ params, query }) => inExistingLog(params.tenantId, (tx) => proveConsistency(tx, query.from, query.to)),
    // The route table has checked audit.erase_personal (platform security officers) and a fresh step-up.
    auditErasePersonal: async ({ params, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      return inExistingLog(params.tenantId, async (tx) => {
        const [event] = await tx.query('SELECT 1 AS one FROM audit_events WHERE tenant_id = $1 AND seq = $2', [scopeTenantId(tx), params.seq]);
        if (!event) throw new ApiError(404, 'not_found', `This log has no event ${params.seq}.`);
        const erased = (await erasePersonalAuditData(tx, [params.seq])) === 1;
        // The erasure is itself an event of the same log; it names the event, not the data.
        if (erased) await appendAuditEvent(tx, { actor: actorOf(principal), action: 'audit.personal_erased', target: `audit_event:${params.seq}`, requestId });
        return { seq: params.seq, erased };
      });
    },
    auditExport: async ({ params, query }) => exportAuditLog(db, await existingLog(params.tenantId), query),
  } satisfies Partial<HandlerTable<typeof endpoints>>;
};
