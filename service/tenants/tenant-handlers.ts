import type { endpoints } from '../../shared/api/endpoints';
import { actorOf, type Principal } from '../auth/principal';
import { PLATFORM_TENANT_ID } from '../db/db';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { onboardTenant } from './tenant-onboarding';
import { getTenant, listTenants } from './tenant-repository';
import { tenantSummary } from './tenant-summary';
import { refuseStatusNoop } from './tenant-status';
import { requestApproval } from '../approvals/approval-handlers';
import type { TenantId, TenantStatus } from '../../shared/tenants/tenant';
import { actsForPlatform } from '../members/account-reach';
import { getTenantSettings, setTenantPlan, updateTenantSettings } from './tenant-settings';

const orThrow = <T>(result: T | ApiError): T => {
  if (result instanceof ApiError) throw result;
  return result;
};

export const tenantHandlers = ({ db, now }: HandlerDeps) => {
  /** A suspension or reinstatement runs only when a second person approves it (service/approvals). */
  const requestStatus =
    (status: TenantStatus) =>
    async ({ params, body, principal, requestId }: { params: { tenantId: TenantId }; body: { reason: string }; principal: Principal | null; requestId: string }) => {
      orThrow(await db.tenant(params.tenantId, (tx) => refuseStatusNoop(tx, status)));
      const action = status === 'suspended' ? 'tenant.suspend' : 'tenant.reinstate';
      return requestApproval(db, principal, params.tenantId, { action }, body.reason, requestId, now());
    };
  return {
    // Platform staff (and API tokens) see every tenant; members only theirs.
    listTenants: async ({ principal, query }) => {
      if (!principal) throw new Error('unauthenticated');
      const all = await db.platform((tx) => listTenants(tx, query ?? {}));
      if (principal.grants.platformRoles.length > 0) return { items: all };
      const mine = new Set(principal.grants.memberships.map((m) => m.tenantId));
      return { items: all.filter((t) => mine.has(t.id)) };
    },
    // Read under the tenant's own RLS context: other tenants' rows are not even visible.
    getTenant: async ({ params }) => {
      // The nil UUID is the platform's own audit scope, never a tenant.
      const tenant = params.tenantId === PLATFORM_TENANT_ID ? null : await db.tenant(params.tenantId, getTenant);
      if (!tenant) throw new ApiError(404, 'not_found', 'No tenant with this id.');
      return tenant;
    },
    createTenant: async ({ body, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      return onboardTenant(db, body, { actor: actorOf(principal), requestId, now: now() });
    },
    getTenantSummary: async ({ params, principal }) => {
      if (!principal) throw new Error('unauthenticated');
      return db.tenantAndPlatform(params.tenantId, (tx) => tenantSummary(tx, { now: now(), forPlatform: actsForPlatform(principal) }));
    },
    getTenantSettings: async ({ params }) => orThrow(await db.tenant(params.tenantId, getTenantSettings)),
    updateTenantSettings: async ({ params, body, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      return orThrow(await db.tenantAndPlatform(params.tenantId, (tx) => updateTenantSettings(tx, body, { actor: actorOf(principal), requestId })));
    },
    setTenantPlan: async ({ params, body, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      return orThrow(await db.tenantAndPlatform(params.tenantId, (tx) => setTenantPlan(tx, body.plan, { actor: actorOf(principal), requestId })));
    },
    suspendTenant: requestStatus('suspended'),
    reinstateTenant: requestStatus('active'),
  } satisfies Partial<HandlerTable<typeof endpoints>>;
};
