import type { CutOffPlanItem, CutOffResultItem } from '../../shared/people/schemas';
import { APPROVAL_POLICY } from '../../shared/policy/approvals';
import { appendAuditEvent, type Actor } from '../audit/audit-log';
import type { PlatformTx } from '../db/db';
import { activeTenantsOf, platformStaffAmong, recordInTenants } from '../members/account-reach';
import { endUserAccess } from '../members/member-access';

/**
 * Platform staff's cut-off: the whole account locked (no sign-in, no session, no
 * API token works), every session and token ended, MFA reset; each item audited
 * in the platform's log and in each of the person's tenants' logs.
 */

export const NEEDS_APPROVAL = 'Needs approval by another platform admin: this person holds a platform role.';

interface AccountFacts {
  readonly locked: boolean;
  readonly sessions: number;
  readonly tokens: number;
  readonly mfaSet: boolean;
  readonly staff: boolean;
}

const count = async (tx: PlatformTx, sql: string, userId: string): Promise<number> => Number((await tx.query<{ n: number | string }>(sql, [userId]))[0]?.n ?? 0);

/** The account's state; null when there is no such person. `lock` holds the user row until the transaction ends. */
const factsOf = async (tx: PlatformTx, userId: string, now: Date, lock: boolean): Promise<AccountFacts | null> => {
  const user = (await tx.query<{ status: string; mfa_enrolled_at: unknown }>(`SELECT status, mfa_enrolled_at FROM users WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [userId]))[0];
  if (!user) return null;
  const secret = await count(tx, 'SELECT count(*) AS n FROM user_credentials WHERE user_id = $1 AND totp_secret_sealed IS NOT NULL', userId);
  const codes = await count(tx, 'SELECT count(*) AS n FROM recovery_codes WHERE user_id = $1', userId);
  return {
    locked: user.status !== 'active',
    sessions: await count(tx, 'SELECT count(*) AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL', userId),
    tokens: await count(tx, 'SELECT count(*) AS n FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL', userId),
    mfaSet: user.mfa_enrolled_at !== null || secret > 0 || codes > 0,
    staff: (await platformStaffAmong(tx, [userId], now)).size > 0,
  };
};

const item = (kind: CutOffPlanItem['kind'], plan: CutOffPlanItem['plan'], n: number | null): CutOffPlanItem => ({
  kind,
  tenantId: null,
  tenantName: null,
  plan,
  count: n,
  code: plan === 'approval' ? 'approval_required' : null,
  reason: plan === 'approval' ? NEEDS_APPROVAL : null,
});

/** The plan for the whole account; `approved`: run as an approved request (no second approval asked). */
export const planForAccount = async (tx: PlatformTx, userId: string, now: Date, opts: { lock: boolean; approved: boolean }): Promise<CutOffPlanItem[] | null> => {
  const f = await factsOf(tx, userId, now, opts.lock);
  if (!f) return null;
  const gated = f.staff && APPROVAL_POLICY.cutOffStaffNeedsApproval && !opts.approved;
  const plan = (needed: boolean): CutOffPlanItem['plan'] => (!needed ? 'done' : gated ? 'approval' : 'run');
  return [
    item('account.lock', plan(!f.locked), null),
    item('sessions.end', plan(f.sessions > 0), f.sessions),
    item('api_tokens.revoke', plan(f.tokens > 0), f.tokens),
    item('mfa.reset', plan(f.mfaSet), null),
  ];
};

export interface PlatformCutOff {
  readonly actor: Actor;
  readonly requestId: string;
  readonly now: Date;
  /** Recorded in the events: the approval request it ran for. */
  readonly approvalId?: string;
}

/** Runs the items of a plan marked 'run', in the caller's platform transaction; each item audited. */
export const runAccountCutOff = async (tx: PlatformTx, userId: string, plan: readonly CutOffPlanItem[], c: PlatformCutOff): Promise<CutOffResultItem[]> => {
  const tenants = await activeTenantsOf(tx, userId);
  const provenance: Record<string, string> = c.approvalId ? { approvalId: c.approvalId } : {};
  const audit = async (action: string, details: Record<string, number | string | boolean>) => {
    const event = { actor: c.actor, requestId: c.requestId, action, details: { ...details, ...provenance, cutOff: true } };
    await appendAuditEvent(tx, { ...event, target: `user:${userId}` });
    await recordInTenants(tx.tenantOf, tenants, { ...event, userId });
  };
  const at = c.now.toISOString();
  const run: Record<Exclude<CutOffPlanItem['kind'], 'membership.deactivate'>, () => Promise<number | null>> = {
    'account.lock': async () => {
      await tx.query("UPDATE users SET status = 'deactivated' WHERE id = $1", [userId]);
      await audit('account.cut_off_locked', {});
      return null;
    },
    'sessions.end': async () => {
      const ended = await endUserAccess(tx, userId, c.now);
      await audit('account.sessions_ended', { revoked: ended });
      return ended;
    },
    'api_tokens.revoke': async () => {
      const revoked = (await tx.query('UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING id', [userId, at])).length;
      await audit('account.api_tokens_revoked', { revoked });
      return revoked;
    },
    'mfa.reset': async () => {
      await tx.query('UPDATE user_credentials SET totp_secret_sealed = NULL, totp_last_step = NULL, mfa_enrolment_required = true WHERE user_id = $1', [userId]);
      await tx.query('UPDATE users SET mfa_enrolled_at = NULL WHERE id = $1', [userId]);
      const codes = (await tx.query('DELETE FROM recovery_codes WHERE user_id = $1 RETURNING code_sha256', [userId])).length;
      await audit('account.mfa_reset', { recoveryCodesDeleted: codes });
      return null;
    },
  };
  const results: CutOffResultItem[] = [];
  for (const p of plan) {
    const base = { kind: p.kind, tenantId: null, tenantName: null, code: null, reason: null, approvalId: null };
    if (p.plan !== 'run') results.push({ ...base, outcome: 'already', count: p.count });
    else if (p.kind !== 'membership.deactivate') results.push({ ...base, outcome: 'ok', count: await run[p.kind]() });
  }
  return results;
};
