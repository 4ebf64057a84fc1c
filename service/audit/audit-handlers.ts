import type { endpoints } from '../../shared/api/endpoints';
import type { TenantId } from '../../shared/tenants/tenant';
import { PLATFORM_TENANT_ID, type ScopedTx } from '../db/db';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { getTenant } from '../tenants/tenant-repository';
import { exportAuditLog } from './audit-export';
import { auditEventPage } from './audit-query';
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
    auditTreeHead: async ({ params }) => audit.latest(await existingLog(params.tenantId)),
    auditIssueTreeHead: async ({ params }) => audit.issue(await existingLog(params.tenantId)),
    auditInclusionProof: async ({ params, query }) => inExistingLog(params.tenantId, (tx) => proveInclusion(tx, query.seq, query.treeSize)),
    auditConsistencyProof: async ({ params, query }) => inExistingLog(params.tenantId, (tx) => proveConsistency(tx, query.from, query.to)),
    auditExport: async ({ params, query }) => exportAuditLog(db, await existingLog(params.tenantId), query),
  } satisfies Partial<HandlerTable<typeof endpoints>>;
};
