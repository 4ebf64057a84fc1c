import type { endpoints } from '../../shared/api/endpoints';
import { PERMISSIONS } from '../../shared/identity/permissions';
import type { TenantId } from '../../shared/tenants/tenant';
import { PLATFORM_TENANT_ID } from '../db/db';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { getTenant } from '../tenants/tenant-repository';
import { evaluatePosture } from './evaluate';
import type { PostureRuntime } from './evaluator';

export const postureHandlers = ({ db, now, hasher, transport }: HandlerDeps) => {
  // The hasher's dummy hash is made with the live parameters; the matrix is the one the route table checks.
  const runtime: PostureRuntime = { passwordHashSample: hasher.dummyHash, permissions: PERMISSIONS, ...transport };
  return {
    getPosture: async ({ params }) => {
      if (params.tenantId !== PLATFORM_TENANT_ID && !(await db.tenant(params.tenantId as TenantId, getTenant))) {
        throw new ApiError(404, 'not_found', 'No tenant with this id.');
      }
      return evaluatePosture(db, params.tenantId, runtime, now());
    },
  } satisfies Partial<HandlerTable<typeof endpoints>>;
};
