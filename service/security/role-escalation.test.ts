/**
 * Threat: a member, a platform staffer or an API token does more than their
 * role allows. Every mutation of the route table (every non-GET endpoint that
 * is not public) is called by every tenant role (stepped up and not), every
 * platform role and API tokens of every scope; whatever the permission matrix
 * in shared/identity/permissions.ts denies must get 403 — `forbidden`, or
 * `step_up_required` where only the fresh code is missing — and change nothing:
 * no audit event in the tenant's log or the platform's, no row of the tenant.
 */
import { describe, expect, it } from 'vitest';
import { endpoints, type Endpoint } from '../../shared/api/endpoints';
import { APPROVAL_PERMISSION } from '../../shared/approvals/schemas';
import { ApiTokenCreatedSchema } from '../../shared/api-tokens/schemas';
import { API_TOKEN_SCOPES } from '../../shared/identity/api-token-scopes';
import { can, PERMISSIONS, type Action, type Grants } from '../../shared/identity/permissions';
import { PLATFORM_ROLES, TENANT_ROLES } from '../../shared/identity/roles';
import { TEST_ENGINES } from '../testing/databases';
import { createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';
import { unknownIdParams, urlFor, validBody } from '../testing/route-requests';
import { setUpTwoTenants, type TenantSide } from '../testing/two-tenants';

const DAY = 24 * 3600_000;

interface Caller {
  readonly label: string;
  readonly kind: 'user' | 'api_token';
  readonly grants: Grants;
  readonly steppedUp: boolean;
  readonly scopes: readonly Action[];
  readonly token: string;
}

type Verdict = 'allowed' | { readonly status: 403; readonly code: 'forbidden' | 'step_up_required' | 'approval_not_yours' };
const FORBIDDEN = { status: 403, code: 'forbidden' } as const;
const STEP_UP = { status: 403, code: 'step_up_required' } as const;

const mutations = Object.entries(endpoints as Record<string, Endpoint>).filter(([, e]) => e.method !== 'GET' && e.permission !== 'public' && e.permission !== 'optional');

/** Withdrawing a request is its requester's alone (the fixture's request is the tenant owner's): everyone else is refused. */
const NOT_YOURS = { status: 403, code: 'approval_not_yours' } as const;

/**
 * The action that guards `e`. Approval decisions are 'authenticated' routes whose
 * handler checks the permission of the request's own action (the fixture's pending
 * approval, a tenant-wide revocation); any other 'authenticated' route is open to every person.
 */
const actionOf = (e: Endpoint): Action | 'any person' => {
  if (e.permission === 'authenticated') return e.path.includes(':approvalId') ? APPROVAL_PERMISSION['sessions.revoke_tenant'] : 'any person';
  if (e.permission === 'public' || e.permission === 'optional') throw new Error('open routes are not mutations of a role');
  return typeof e.permission === 'string' ? e.permission : e.permission.action;
};

/** What the matrix says of `caller` on `e` in `tenantId` (null where the path names no tenant). */
const verdict = (e: Endpoint, caller: Caller, tenantId: string | null): Verdict => {
  if (e.path.endsWith('/withdraw')) return caller.kind === 'api_token' ? FORBIDDEN : NOT_YOURS;
  const action = actionOf(e);
  if (caller.kind === 'api_token' && (e.permission === 'authenticated' || action === 'any person' || !caller.scopes.includes(action))) return FORBIDDEN;
  if (action === 'any person') return 'allowed';
  if (!can(caller.grants, action, tenantId)) return FORBIDDEN;
  if (PERMISSIONS[action].stepUp && caller.kind === 'api_token') return FORBIDDEN;
  if (PERMISSIONS[action].stepUp && !caller.steppedUp) return STEP_UP;
  return 'allowed';
};

describe.each(TEST_ENGINES)('role escalation against every mutation (%s)', (kind) => {
  const clock = new Date('2026-05-04T10:00:00Z');
  const svc = inProcessService(kind, { now: () => clock });

  let setUp: Promise<{ side: TenantSide; callers: Caller[] }> | undefined;
  const fixture = () =>
    (setUp ??= (async () => {
      const { a: side } = await setUpTwoTenants(svc, () => clock);
      const callers: Caller[] = [];
      for (const role of TENANT_ROLES) {
        const user = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: side.tenantId, role }] });
        const grants = { platformRoles: [], memberships: [{ tenantId: side.tenantId, role }] };
        callers.push({ label: `${role} (stepped up)`, kind: 'user', grants, steppedUp: true, scopes: [], token: (await svc.steppedUp(user, DAY)).accessToken });
        callers.push({ label: role, kind: 'user', grants, steppedUp: false, scopes: [], token: (await svc.session(user)).accessToken });
      }
      for (const role of PLATFORM_ROLES) {
        const user = await createTestUser(svc.t.db, svc.keys, svc.hasher, { platformRoles: [role] });
        const grants = { platformRoles: [role], memberships: [] };
        callers.push({ label: `platform ${role} (stepped up)`, kind: 'user', grants, steppedUp: true, scopes: [], token: (await svc.steppedUp(user, DAY)).accessToken });
      }
      // API tokens act as the tenant's owner, capped by their scopes: all of them, and each alone.
      const ownerGrants = { platformRoles: [], memberships: [{ tenantId: side.tenantId, role: 'owner' as const }] };
      callers.push({ label: 'API token (every scope)', kind: 'api_token', grants: ownerGrants, steppedUp: false, scopes: API_TOKEN_SCOPES, token: side.apiToken });
      for (const scope of API_TOKEN_SCOPES) {
        const res = await svc.call('POST', `/v1/tenants/${side.tenantId}/api-tokens`, {
          token: side.ownerToken,
          body: { name: scope, scopes: [scope], expiresAt: new Date(clock.getTime() + 30 * DAY).toISOString() },
        });
        expect(res.statusCode, res.body).toBe(201);
        const secret = ApiTokenCreatedSchema.parse(res.json()).secret;
        callers.push({ label: `API token (${scope})`, kind: 'api_token', grants: ownerGrants, steppedUp: false, scopes: [scope], token: secret });
      }
      return { side, callers };
    })());

  /** Everything a refused mutation could have touched: the tenant's rows and both audit logs. */
  const stateOf = async (tenantId: string): Promise<string> => {
    const q = (sql: string) => svc.t.engine.query(sql, [tenantId]);
    return JSON.stringify([
      await svc.t.engine.query('SELECT tenant_id, count(*)::int AS n FROM audit_events GROUP BY tenant_id ORDER BY tenant_id'),
      await q('SELECT user_id, role, status FROM memberships WHERE tenant_id = $1 ORDER BY user_id'),
      await q('SELECT id, revoked_at FROM api_tokens WHERE tenant_id = $1 ORDER BY id'),
      await q('SELECT id, status FROM approval_requests WHERE tenant_id = $1 ORDER BY id'),
      await q('SELECT id, closed_at FROM access_reviews WHERE tenant_id = $1 ORDER BY id'),
      await q('SELECT count(*)::int AS n FROM member_invites WHERE tenant_id = $1'),
      await q('SELECT count(*)::int AS n FROM recovery_codes r JOIN memberships m ON m.user_id = r.user_id WHERE m.tenant_id = $1'),
      await q('SELECT s.id, s.revoked_at FROM sessions s JOIN memberships m ON m.user_id = s.user_id WHERE m.tenant_id = $1 ORDER BY s.id'),
      await svc.t.engine.query('SELECT id, version FROM incidents ORDER BY id'),
      await svc.t.engine.query('SELECT count(*)::int AS n FROM platform_role_grants'),
    ]);
  };

  it('knows every id a mutation can name', () => {
    expect(mutations.flatMap(([name, e]) => unknownIdParams(e).map((p) => `${name}: ${p}`))).toEqual([]);
    expect(mutations.length).toBeGreaterThanOrEqual(25);
  });

  it.each(mutations)('%s: every role the matrix denies gets 403 and changes nothing', async (_name, e) => {
    const { side, callers } = await fixture();
    const tenantId = e.path.includes(':tenantId') ? side.tenantId : null;
    const body = validBody(e, clock);
    const before = await stateOf(side.tenantId);
    const outcomes = [];
    let denied = 0;
    for (const caller of callers) {
      const want = verdict(e, caller, tenantId);
      if (want === 'allowed') continue;
      denied += 1;
      const res = await svc.call(e.method, urlFor(e, side), { token: caller.token, ...(body ? { body } : {}) });
      outcomes.push({ caller: caller.label, got: errorOf(res), want });
    }
    expect(outcomes).toEqual(outcomes.map((o) => ({ ...o, got: o.want })));
    expect(await stateOf(side.tenantId)).toBe(before);
    // Every mutation is denied to someone: at least to the viewer, or to API tokens.
    expect(denied).toBeGreaterThan(0);
  });
});
