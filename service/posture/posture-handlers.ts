import type { endpoints } from '../../shared/api/endpoints';
import { PERMISSIONS } from '../../shared/identity/permissions';
import type { TenantId } from '../../shared/tenants/tenant';
import { actorOf } from '../auth/principal';
import { PLATFORM_TENANT_ID } from '../db/db';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { inLog } from '../audit/tree-heads';
import { getTenant } from '../tenants/tenant-repository';
import { evaluateAll, evaluatePosture, inPostureScope } from './evaluate';
import type { PostureRuntime } from './evaluator';
import { listSnapshots, storeSnapshot } from './snapshot-repository';

/** What the running service is configured with: the hasher's dummy hash is made with the live parameters; the matrix is the one the route table checks. */
export const postureRuntimeOf = ({ hasher, transport }: Pick<HandlerDeps, 'hasher' | 'transport'>): PostureRuntime => ({
  passwordHashSample: hasher.dummyHash,
  permissions: PERMISSIONS,
  ...transport,
});

export const postureHandlers = (deps: HandlerDeps) => {
  const { db, now } = deps;
  const runtime = postureRuntimeOf(deps);
  /** The tenant of the path exists, or it is the platform's nil id (404 otherwise, as for audit). */
  const existing = async (tenantId: string): Promise<string> => {
    if (tenantId !== PLATFORM_TENANT_ID && !(await db.tenant(tenantId as TenantId, getTenant))) throw new ApiError(404, 'not_found', 'No tenant with this id.');
    return tenantId;
  };
  return {
    getPosture: async ({ params }) => evaluatePosture(db, await existing(params.tenantId), runtime, now()),
    createPostureSnapshot: async ({ params, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      const tenantId = await existing(params.tenantId);
      // Evaluated, stored and anchored in the log in one transaction.
      return inPostureScope(db, tenantId, { runtime, now: now() }, async (ctx, own) =>
        storeSnapshot(own, await evaluateAll(ctx, tenantId), { actor: actorOf(principal), requestId }),
      );
    },
    listPostureSnapshots: async ({ params, query }) => ({ items: await inLog(db, await existing(params.tenantId), (tx) => listSnapshots(tx, query.limit)) }),
  } satisfies Partial<HandlerTable<typeof endpoints>>;
};
