import type { endpoints } from '../../shared/api/endpoints';
import { CONTROLS } from '../../shared/posture/catalogue';
import { appendAuditEvent, freeText } from '../audit/audit-log';
import { inLog } from '../audit/tree-heads';
import { actorOf } from '../auth/principal';
import { PLATFORM_TENANT_ID } from '../db/db';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import type { TenantId } from '../../shared/tenants/tenant';
import { getTenant } from '../tenants/tenant-repository';
import { deleteRemediationPlan, getRemediationPlan, listRemediationPlans, mayOwnPlan, todayOf, upsertRemediationPlan } from './remediation-repository';

const orThrow = <T>(result: T | ApiError): T => {
  if (result instanceof ApiError) throw result;
  return result;
};

/** The control named in the path: 404 unknown_control, or 400 control_not_applicable when it is not evaluated in this scope. */
const controlIn = (tenantId: string, controlId: string) => {
  const control = CONTROLS.find((c) => c.id === controlId);
  if (!control) throw new ApiError(404, 'unknown_control', 'No control with this id in the catalogue.');
  const scope = tenantId === PLATFORM_TENANT_ID ? 'platform' : 'tenant';
  if (control.scope !== 'both' && control.scope !== scope) {
    throw new ApiError(400, 'control_not_applicable', `This control is evaluated for ${control.scope === 'tenant' ? 'each tenant' : 'the platform'} only; it needs no plan here.`);
  }
  return control;
};

/**
 * Remediation plans of a tenant's controls, or the platform's under the nil id.
 * The route table checked posture.read / posture.remediate in the path's tenant;
 * RLS confines every query to that tenant's rows (an unknown tenant id is 404 there).
 */
export const remediationHandlers = ({ db, now }: HandlerDeps) => {
  /** The tenant of the path exists, or it is the platform's nil id (404 otherwise, as for posture). */
  const existing = async (tenantId: string): Promise<string> => {
    if (tenantId !== PLATFORM_TENANT_ID && !(await db.tenant(tenantId as TenantId, getTenant))) throw new ApiError(404, 'not_found', 'No tenant with this id.');
    return tenantId;
  };
  return {
    listRemediations: async ({ params }) => ({ items: await inLog(db, await existing(params.tenantId), (tx) => listRemediationPlans(tx, now())) }),

    putRemediation: async ({ params, body, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      const control = controlIn(await existing(params.tenantId), params.controlId);
      const at = now();
      if (body.targetDate < todayOf(at)) {
        throw new ApiError(400, 'target_date_in_past', `The target date must be today (${todayOf(at)}) or later.`, [
          { path: 'body.targetDate', message: 'must not be in the past' },
        ]);
      }
      return orThrow(
        await inLog(db, params.tenantId, async (tx) => {
          if (!(await mayOwnPlan(tx, body.ownerUserId, at))) {
            const who = tx.scope === 'tenant' ? 'an active owner or admin of this tenant' : 'a member of the platform staff';
            return new ApiError(400, 'remediation_owner_invalid', `The plan's owner must be ${who}.`, [{ path: 'body.ownerUserId', message: `must be ${who}` }]);
          }
          const { before } = await upsertRemediationPlan(tx, control.id, { ...body, status: body.status }, at);
          const text = freeText({ compensatingControls: body.compensatingControls });
          await appendAuditEvent(tx, {
            actor: actorOf(principal),
            action: 'posture.remediation_set',
            target: `control:${control.id}`,
            requestId,
            details: { controlId: control.id, ownerUserId: body.ownerUserId, targetDate: body.targetDate, status: body.status, from: before, ...text.lengths },
            // Free text may name people: beside the hashed leaf, where erasure can reach it.
            personal: text.personal,
          });
          return (await getRemediationPlan(tx, control.id, at))!;
        }),
      );
    },

    deleteRemediation: async ({ params, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      const control = controlIn(await existing(params.tenantId), params.controlId);
      return orThrow(
        await inLog(db, params.tenantId, async (tx) => {
          if (!(await deleteRemediationPlan(tx, control.id))) return new ApiError(404, 'remediation_not_found', 'This control has no remediation plan.');
          await appendAuditEvent(tx, { actor: actorOf(principal), action: 'posture.remediation_deleted', target: `control:${control.id}`, requestId, details: { controlId: control.id } });
          return { deleted: true as const };
        }),
      );
    },
  } satisfies Partial<HandlerTable<typeof endpoints>>;
};
