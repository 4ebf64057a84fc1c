import type { endpoints } from '../../shared/api/endpoints';
import { PLATFORM_TENANT_ID } from '../db/db';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { getTenant, listTenants } from './tenant-repository';

export const tenantHandlers = ({ db }: HandlerDeps) =>
  ({
    // Operators see every tenant (platform scope).
    listTenants: async () => ({ items: await db.platform(listTenants) }),
    // Read under the tenant's own RLS context: other tenants' rows are not even visible.
    getTenant: async ({ params }) => {
      // The nil UUID is the platform's own audit scope, never a tenant.
      const tenant = params.id === PLATFORM_TENANT_ID ? null : await db.tenant(params.id, getTenant);
      if (!tenant) throw new ApiError(404, 'not_found', 'No tenant with this id.');
      return tenant;
    },
  }) satisfies Partial<HandlerTable<typeof endpoints>>;
