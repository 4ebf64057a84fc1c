import { CATALOGUE_VERSION, CONTROLS } from '../../shared/posture/catalogue';
import type { Posture } from '../../shared/posture/api';
import type { TenantId } from '../../shared/tenants/tenant';
import { PLATFORM_TENANT_ID, type Db, type ScopedTx } from '../db/db';
import type { EvaluationContext, PostureRuntime } from './evaluator';
import { EVALUATORS } from './evaluators';
import { remediationsForPosture } from './remediation-repository';

/** Runs every control over one consistent view: a tenant's controls in its RLS scope, the platform's in the platform scope. */
/** Milliseconds each control's evidence took (and `remediation plans`), for the posture.evaluate bench. */
export type EvaluationTimings = Map<string, number>;

export const evaluateAll = async (ctx: EvaluationContext, tenantId: string, timings?: EvaluationTimings): Promise<Posture> => {
  const controls: Posture['controls'] = [];
  let t0 = performance.now();
  const plans = await remediationsForPosture(ctx.tenant ?? ctx.platform, ctx.now);
  timings?.set('remediation plans', performance.now() - t0);
  for (const control of CONTROLS) {
    const inScope = control.scope === 'both' || control.scope === (ctx.tenant ? 'tenant' : 'platform');
    t0 = performance.now();
    const { status, evidence } = inScope ? await EVALUATORS[control.id](ctx) : { status: 'not_applicable' as const, evidence: {} };
    timings?.set(control.id, performance.now() - t0);
    // A plan shows only while the control warns or fails: a passing control needs none.
    const remediation = status === 'warn' || status === 'fail' ? plans.get(control.id) : undefined;
    const { soc2, iso27001, gdpr } = control.mappings;
    const mappings = { soc2: [...soc2], iso27001: [...iso27001], gdpr: [...gdpr] };
    controls.push({ id: control.id, title: control.title, section: control.section, status, evidence, mappings, ...(remediation ? { remediation } : {}) });
  }
  return { tenantId, catalogueVersion: CATALOGUE_VERSION, evaluatedAt: ctx.now.toISOString(), controls };
};

/**
 * One transaction for a posture: the evaluation context and the scope of the
 * posture's own log and snapshots (the tenant's, or the platform's for the nil id).
 */
export const inPostureScope = <T>(
  db: Db,
  tenantId: string,
  base: { runtime: PostureRuntime; now: Date },
  fn: (ctx: EvaluationContext, own: ScopedTx) => Promise<T>,
): Promise<T> =>
  tenantId === PLATFORM_TENANT_ID
    ? db.platform((platform) => fn({ ...base, platform, tenant: null }, platform))
    : db.tenantAndPlatform(tenantId as TenantId, ({ tenant, platform }) => fn({ ...base, platform, tenant }, tenant));

/** The posture of a tenant, or of the platform under the nil tenant id. */
export const evaluatePosture = (db: Db, tenantId: string, runtime: PostureRuntime, now: Date, timings?: EvaluationTimings): Promise<Posture> =>
  inPostureScope(db, tenantId, { runtime, now }, (ctx) => evaluateAll(ctx, tenantId, timings));
