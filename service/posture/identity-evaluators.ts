import { SESSION_POLICY } from '../../shared/policy/identity';
import { mfaEnrolmentCounts } from '../members/member-repository';
import { DAY_MS, percent, count, thresholds, type Evaluator } from './evaluator';


interface PolicyRow extends Record<string, unknown> {
  mfa_required: boolean;
  idle_timeout_seconds: number;
  absolute_timeout_seconds: number;
}

/** The tenant's own security policy; a tenant without a row has the defaults (migration 0005). */
const tenantPolicy = async (tx: NonNullable<Parameters<Evaluator>[0]['tenant']>) => {
  const [row] = await tx.query<PolicyRow>('SELECT mfa_required, idle_timeout_seconds, absolute_timeout_seconds FROM tenant_security_policies WHERE tenant_id = $1', [tx.tenantId]);
  return {
    mfaRequired: row?.mfa_required ?? true,
    idle: row?.idle_timeout_seconds ?? SESSION_POLICY.defaultIdleTimeout,
    absolute: row?.absolute_timeout_seconds ?? SESSION_POLICY.defaultAbsoluteTimeout,
  };
};

export const mfaEvaluator: Evaluator = async ({ tenant }) => {
  if (!tenant) return { status: 'not_applicable', evidence: {} };
  const policy = await tenantPolicy(tenant);
  const counts = await mfaEnrolmentCounts(tenant);
  const active = counts.enrolled + counts.notEnrolled;
  const share = active === 0 ? 1 : counts.enrolled / active;
  const evidence = { enforced: policy.mfaRequired, activeMembers: active, enrolled: counts.enrolled, enrolledPercent: percent(counts.enrolled, active) };
  // Off fails whatever the enrolment; the MFA policy's remediation plan is the control's (evaluate.ts attaches it).
  if (!policy.mfaRequired) return { status: 'fail', evidence };
  return { status: share >= thresholds('auth.mfa').enrolledShareForPass ? 'pass' : 'warn', evidence };
};

const PHC_ARGON2 = /^\$(argon2(?:id|i|d))\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/;

export const passwordHashingEvaluator: Evaluator = async ({ runtime }) => {
  const m = PHC_ARGON2.exec(runtime.passwordHashSample);
  if (!m) return { status: 'fail', evidence: { algorithm: 'not argon2', memoryKiB: null, timeCost: null, parallelism: null } };
  const [algorithm, memoryKiB, timeCost, parallelism] = [m[1]!, Number(m[2]), Number(m[3]), Number(m[4])];
  const t = thresholds('auth.password_hashing');
  const ok = algorithm === 'argon2id' && memoryKiB >= t.minMemoryKiB && timeCost >= t.minTimeCost && parallelism >= t.minParallelism;
  return { status: ok ? 'pass' : 'fail', evidence: { algorithm, memoryKiB, timeCost, parallelism } };
};

export const sessionLimitsEvaluator: Evaluator = async ({ tenant }) => {
  if (!tenant) return { status: 'not_applicable', evidence: {} };
  const { idle, absolute } = await tenantPolicy(tenant);
  const t = thresholds('sessions.limits');
  const hours = (s: number) => Math.round((s / 3600) * 100) / 100;
  const evidence = { idleSeconds: idle, absoluteSeconds: absolute, idleHours: hours(idle), absoluteHours: hours(absolute) };
  return { status: idle <= t.maxIdleSeconds && absolute <= t.maxAbsoluteSeconds ? 'pass' : 'fail', evidence };
};

/**
 * The writes that remove access or data, or widen it: each must ask for step-up
 * in the running permission matrix. (Inviting, signing a head, recording an
 * incident, deciding a review item and revoking a token only add evidence or
 * narrow access.)
 */
export const DESTRUCTIVE_ACTIONS = [
  'tenant_settings.write',
  'tenants.suspend',
  'members.change_role',
  'members.deactivate',
  'members.remove',
  'mfa_policy.write',
  'mfa.reset',
  'sessions.revoke',
  'audit.erase_personal',
  'platform_roles.grant',
  'api_tokens.manage',
] as const;

export const refreshRotationEvaluator: Evaluator = async ({ tenant, platform, runtime, now }) => {
  const since = new Date(now.getTime() - 90 * DAY_MS);
  const tx = tenant ?? platform;
  const scopeId = tenant ? tenant.tenantId : '00000000-0000-0000-0000-000000000000';
  // Reuse detection runs on every refresh (session-flows.ts); what it caught is in the log.
  const [caught] = await tx.query<{ n: number | string }>("SELECT count(*) AS n FROM audit_events WHERE tenant_id = $1 AND action = 'session.refresh_reuse' AND at >= $2", [
    scopeId,
    since,
  ]);
  const withoutStepUp = DESTRUCTIVE_ACTIONS.filter((a) => runtime.permissions[a]?.stepUp !== true);
  const evidence = {
    reuseRevocations: count(caught?.n),
    destructiveActions: DESTRUCTIVE_ACTIONS.length,
    destructiveWithoutStepUp: withoutStepUp.length,
    stepUpWindowSeconds: thresholds('sessions.refresh_rotation').stepUpWindowSeconds,
  };
  return { status: withoutStepUp.length === 0 ? 'pass' : 'fail', evidence };
};
