import type { endpoints } from '../../shared/api/endpoints';
import { can } from '../../shared/identity/permissions';
import type { CutOffPlanItem, CutOffResultItem } from '../../shared/people/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { actorOf, type Principal } from '../auth/principal';
import { insertApprovalRequest } from '../approvals/approval-repository';
import { PLATFORM_SCOPE_ID } from '../../shared/approvals/schemas';
import { APPROVAL_POLICY } from '../../shared/policy/approvals';
import type { Db, PlatformTx } from '../db/db';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import type { AccessChange } from '../members/member-access';
import { cutOffInTenant, planInTenant } from './cut-off-tenant';
import { planForAccount, runAccountCutOff } from './cut-off-platform';
import { readPerson } from './person-read';
import { searchPeople } from './person-search';
import { CUT_OFF_SELF, isSelf, NO_PERSON, scopeFor, type PersonScope } from './person-scope';

/** A cut-off of this person already waiting for a second platform admin: asking again adds no second request. */
const pendingCutOffOf = async (tx: PlatformTx, userId: string, at: Date): Promise<string | null> =>
  (
    await tx.query<{ id: string }>(
      "SELECT id FROM approval_requests WHERE tenant_id = $1 AND action = 'account.cut_off' AND status = 'pending' AND expires_at > $2 AND subject->>'userId' = $3 LIMIT 1",
      [PLATFORM_SCOPE_ID, at.toISOString(), userId],
    )
  )[0]?.id ?? null;

const askApproval = async (tx: PlatformTx, p: Principal, userId: string, reason: string, requestId: string, at: Date): Promise<string> => {
  if (p.kind !== 'user') throw new ApiError(403, 'forbidden', 'Only a person can ask for an approval.');
  const expiresAt = new Date(at.getTime() + APPROVAL_POLICY.requestTtl * 1000);
  const subject = { action: 'account.cut_off' as const, userId };
  return (await insertApprovalRequest(tx, { subject, reason, requester: { userId: p.userId, email: p.email }, now: at, expiresAt, requestId })).id;
};

const signedIn = (principal: Principal | null): Principal => {
  if (!principal) throw new Error('unauthenticated');
  return principal;
};

const tenantNameOf = async (db: Db, tenantId: TenantId): Promise<string> =>
  (await db.tenant(tenantId, (tx) => tx.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [tenantId])))[0]?.name ?? '';

/** A tenant's items, all failed with the error that stopped its transaction. */
const failedIn = (tenantId: TenantId, tenantName: string, error: ApiError): CutOffResultItem[] =>
  (['membership.deactivate', 'api_tokens.revoke', 'sessions.end'] as const).map((kind) => ({
    kind,
    tenantId,
    tenantName,
    outcome: 'failed',
    count: null,
    code: error.code,
    reason: error.message,
    approvalId: null,
  }));

export const peopleHandlers = ({ db, now }: HandlerDeps) => {
  const changeOf = (p: Principal, requestId: string): AccessChange => ({ principal: p, actor: actorOf(p), requestId, now: now() });

  /** The plan in every scope the caller reaches for a cut-off; null when the person is not visible there. */
  const plan = async (p: Principal, scope: PersonScope, userId: string, requestId: string): Promise<CutOffPlanItem[] | null> => {
    if (scope.kind === 'platform') return db.platform((tx) => planForAccount(tx, userId, now(), { lock: false, approved: false }));
    const perTenant = await Promise.all(
      scope.tenantIds.map(async (t) => {
        const name = await tenantNameOf(db, t);
        return db.tenantAndPlatform(t, (tx) => planInTenant(tx, userId, name, changeOf(p, requestId), false));
      }),
    );
    const seen = perTenant.filter((items): items is CutOffPlanItem[] => items !== null);
    return seen.length === 0 ? null : seen.flat();
  };

  const cutOffTenants = async (p: Principal, tenantIds: readonly TenantId[], userId: string, requestId: string): Promise<CutOffResultItem[] | null> => {
    const results: CutOffResultItem[] = [];
    let seen = false;
    // One transaction per tenant, one after the other: a failure in one does not undo or hide the others.
    for (const t of tenantIds) {
      const name = await tenantNameOf(db, t);
      try {
        const items = await db.tenantAndPlatform(t, (tx) => cutOffInTenant(tx, userId, name, changeOf(p, requestId)));
        if (items) results.push(...items);
        seen ||= items !== null;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        seen = true;
        results.push(...failedIn(t, name, error));
      }
    }
    return seen ? results : null;
  };

  const cutOffAccount = async (p: Principal, userId: string, reason: string, requestId: string): Promise<CutOffResultItem[] | null> => {
    const at = now();
    return db.platform(async (tx) => {
      // The person's row stays locked to the end: a parallel cut-off waits, then finds it done (or already asked for).
      const items = await planForAccount(tx, userId, at, { lock: true, approved: false });
      if (!items) return null;
      if (!items.some((i) => i.plan === 'approval')) return runAccountCutOff(tx, userId, items, { actor: actorOf(p), requestId, now: at });
      const approvalId = (await pendingCutOffOf(tx, userId, at)) ?? (await askApproval(tx, p, userId, reason, requestId, at));
      return items.map((i) => ({
        kind: i.kind,
        tenantId: null,
        tenantName: null,
        outcome: i.plan === 'approval' ? 'approval_requested' : 'already',
        count: i.count,
        code: null,
        reason: i.plan === 'approval' ? i.reason : null,
        approvalId: i.plan === 'approval' ? approvalId : null,
      }));
    });
  };

  return {
    searchPeople: async ({ query, principal }) => ({ items: await searchPeople(db, scopeFor(signedIn(principal), 'people.read'), query.q, query.limit) }),
    getPerson: async ({ params, principal }) => {
      const p = signedIn(principal);
      const person = await readPerson(db, scopeFor(p, 'people.read'), params.userId, p.kind === 'user' ? p.session.id : null, now());
      if (!person) throw NO_PERSON();
      return person;
    },
    cutOffPlan: async ({ params, principal, requestId }) => {
      const p = signedIn(principal);
      if (isSelf(p, params.userId)) throw CUT_OFF_SELF();
      // Reading people is not enough to be told what cutting one off would do.
      if (!can(p.grants, 'people.cut_off', null)) throw new ApiError(403, 'forbidden', 'Your roles do not allow people.cut_off.');
      const scope = scopeFor(p, 'people.cut_off');
      const items = await plan(p, scope, params.userId, requestId);
      if (!items) throw NO_PERSON();
      return { userId: params.userId, scope: scope.kind, items };
    },
    cutOff: async ({ params, body, principal, requestId }) => {
      const p = signedIn(principal);
      if (isSelf(p, params.userId)) throw CUT_OFF_SELF();
      const scope = scopeFor(p, 'people.cut_off');
      const items: CutOffResultItem[] | null =
        scope.kind === 'platform' ? await cutOffAccount(p, params.userId, body.reason, requestId) : await cutOffTenants(p, scope.tenantIds, params.userId, requestId);
      if (!items) throw NO_PERSON();
      return { userId: params.userId, scope: scope.kind, items };
    },
  } satisfies Partial<HandlerTable<typeof endpoints>>;
};
