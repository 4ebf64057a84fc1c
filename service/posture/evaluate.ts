import { CATALOGUE_VERSION, CONTROLS } from '../../shared/posture/catalogue';
import type { Posture } from '../../shared/posture/api';
import type { TenantId } from '../../shared/tenants/tenant';
import { PLATFORM_TENANT_ID, type Db } from '../db/db';
import type { EvaluationContext, PostureRuntime } from './evaluator';
import { EVALUATORS } from './evaluators';

/** Runs every control over one consistent view: a tenant's controls in its RLS scope, the platform's in the platform scope. */
const evaluateAll = async (ctx: EvaluationContext, tenantId: string): Promise<Posture> => {
  const controls: Posture['controls'] = [];
  for (const control of CONTROLS) {
    const inScope = control.scope === 'both' || control.scope === (ctx.tenant ? 'tenant' : 'platform');
    const { status, evidence } = inScope ? await EVALUATORS[control.id](ctx) : { status: 'not_applicable' as const, evidence: {} };
    const { soc2, iso27001, gdpr } = control.mappings;
    controls.push({ id: control.id, title: control.title, section: control.section, status, evidence, mappings: { soc2: [...soc2], iso27001: [...iso27001], gdpr: [...gdpr] } });
  }
  return { tenantId, catalogueVersion: CATALOGUE_VERSION, evaluatedAt: ctx.now.toISOString(), controls };
};

/** The posture of a tenant, or of the platform under the nil tenant id. */
export const evaluatePosture = (db: Db, tenantId: string, runtime: PostureRuntime, now: Date): Promise<Posture> =>
  tenantId === PLATFORM_TENANT_ID
    ? db.platform((platform) => evaluateAll({ now, platform, tenant: null, runtime }, tenantId))
    : db.tenantAndPlatform(tenantId as TenantId, ({ tenant, platform }) => evaluateAll({ now, platform, tenant, runtime }, tenantId));
