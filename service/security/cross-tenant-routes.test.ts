/**
 * Threat: a hostile owner (or API token) of tenant A reaches tenant B's objects
 * by id. Every route whose path names a user, session, incident, review,
 * approval, token or audit event is attacked with B's ids — under A's tenant
 * id, B's and the platform's — generated from the route table, so a new route
 * is attacked without anyone writing a test. The expected answer is derived
 * from the permission matrix: 403 `forbidden` where the caller has no right
 * in the path's tenant, otherwise 404 `not_found` (B's object is not in A).
 * No answer names B's ids or emails; id filters in query strings get the same.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PLATFORM_SCOPE_ID } from '../../shared/approvals/schemas';
import { endpoints, type Endpoint } from '../../shared/api/endpoints';
import { API_TOKEN_SCOPES } from '../../shared/identity/api-token-scopes';
import { can, PERMISSIONS, type Action } from '../../shared/identity/permissions';
import { TEST_ENGINES } from '../testing/databases';
import { errorOf, inProcessService } from '../testing/in-process-service';
import { jsonSchemaOf } from '../testing/json-schema-arbitrary';
import { fixedParam, ID_PARAMS, pathParams, unknownIdParams, urlFor, validBody } from '../testing/route-requests';
import { setUpTwoTenants, type TwoTenants } from '../testing/two-tenants';

type Caller = 'owner' | 'token';
type PathTenant = 'A' | 'B' | 'platform';

const attacked = Object.entries(endpoints as Record<string, Endpoint>).filter(([, e]) => pathParams(e).some((p) => p !== 'tenantId' && fixedParam(e, p) === null));

/** What A's owner (stepped up) or A's every-scope API token must get; derived from the matrix, not listed per route. */
const expected = (e: Endpoint, caller: Caller, tenant: PathTenant | null, tenantA: string): { status: number; code: string } => {
  const forbidden = { status: 403, code: 'forbidden' };
  const notFound = { status: 404, code: 'not_found' };
  // A holds no role in B or in the platform's scope; an API token is bound to A.
  const open = e.permission === 'public' || e.permission === 'optional';
  if (tenant === 'B' || tenant === 'platform') return open ? notFound : forbidden;
  if (open) return notFound;
  if (e.permission === 'authenticated') return caller === 'token' ? forbidden : notFound;
  const action: Action = typeof e.permission === 'string' ? e.permission : e.permission.action;
  const grants = { platformRoles: [], memberships: [{ tenantId: tenantA, role: 'owner' as const }] };
  if (caller === 'token' && !API_TOKEN_SCOPES.includes(action)) return forbidden;
  if (!can(grants, action, tenant === 'A' ? tenantA : null)) return forbidden;
  if (caller === 'token' && PERMISSIONS[action].stepUp) return forbidden;
  return notFound;
};

/** B's ids and emails that a response to A mentions (those A sent in the URL excepted: an error may echo them). */
const leakedIdsOfB = (body: string, fx: TwoTenants, url: string): string[] => {
  const b = fx.b;
  const secrets = [b.tenantId, b.owner.userId, b.owner.email, b.member.userId, b.member.email, b.memberSessionId, b.apiTokenId, b.incidentId, b.reviewId, b.approvalId];
  return secrets.filter((id) => !url.includes(id) && body.includes(id));
};

const queryParams = (e: Endpoint): string[] => Object.keys((jsonSchemaOf(e.query ?? z.never()).schema.properties as object | undefined) ?? {});

describe.each(TEST_ENGINES)('cross-tenant ids on every route (%s)', (kind) => {
  const clock = new Date('2026-05-04T10:00:00Z');
  const svc = inProcessService(kind, { now: () => clock });
  let fixture: Promise<{ fx: TwoTenants; auditOfB: number }> | undefined;
  const auditCount = async (tenantId: string): Promise<number> =>
    (await svc.t.engine.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1', [tenantId]))[0]?.n ?? -1;
  const setUp = async () => {
    const fx = await setUpTwoTenants(svc, () => clock);
    return { fx, auditOfB: await auditCount(fx.b.tenantId) };
  };
  const f = async (): Promise<TwoTenants> => (await (fixture ??= setUp())).fx;

  it('knows the kind of every id a path can name (add new kinds to ID_PARAMS)', () => {
    const unknown = attacked.flatMap(([name, e]) => unknownIdParams(e).map((p) => `${name}: ${p}`));
    expect(unknown).toEqual([]);
    expect(attacked.length).toBeGreaterThanOrEqual(15);
  });

  it.each(attacked)('%s refuses B’s ids to A’s owner and A’s API token', async (_name, e) => {
    const fx = await f();
    const tenants: (PathTenant | null)[] = e.path.includes(':tenantId') ? ['A', 'B', 'platform'] : [null];
    const tenantIds = { A: fx.a.tenantId, B: fx.b.tenantId, platform: PLATFORM_SCOPE_ID };
    const body = validBody(e, clock);
    const outcomes = [];
    for (const tenant of tenants) {
      for (const caller of ['owner', 'token'] as const) {
        const url = urlFor(e, fx.b, tenant ? tenantIds[tenant] : undefined);
        const res = await svc.call(e.method, url, { token: caller === 'owner' ? fx.a.ownerToken : fx.a.apiToken, ...(body ? { body } : {}) });
        outcomes.push({ tenant, caller, got: errorOf(res), want: expected(e, caller, tenant, fx.a.tenantId) });
        expect(leakedIdsOfB(res.body, fx, url)).toEqual([]);
      }
    }
    expect(outcomes).toEqual(outcomes.map((o) => ({ ...o, got: o.want })));
  });

  const queryIdRoutes = Object.entries(endpoints as Record<string, Endpoint>).filter(
    ([, e]) => e.method === 'GET' && e.path.includes(':tenantId') && e.query && queryParams(e).some((q) => q in ID_PARAMS),
  );

  it('knows every id a query string can name, and finds some', () => {
    const uuidParams = Object.entries(endpoints as Record<string, Endpoint>).flatMap(([name, e]) => {
      const props = (jsonSchemaOf(e.query ?? z.never()).schema.properties ?? {}) as Record<string, { format?: string }>;
      return Object.entries(props).flatMap(([q, schema]) => (schema.format === 'uuid' && !(q in ID_PARAMS) ? [`${name}: ?${q}`] : []));
    });
    expect(uuidParams).toEqual([]);
    expect(queryIdRoutes.length).toBeGreaterThan(0);
  });

  it.each(queryIdRoutes)('%s filtered by B’s ids under A answers nothing of B', async (_name, e) => {
    const fx = await f();
    const query = queryParams(e)
      .filter((q) => q in ID_PARAMS)
      .map((q) => `${q}=${ID_PARAMS[q]?.(fx.b) ?? ''}`)
      .join('&');
    for (const token of [fx.a.ownerToken, fx.a.apiToken]) {
      const url = `${urlFor(e, fx.a)}?${query}`;
      const res = await svc.call('GET', url, { token });
      expect(res.statusCode).toBeLessThan(500);
      expect(leakedIdsOfB(res.body, fx, url)).toEqual([]);
    }
  });

  it('left every object of B as it was: no audit event, sessions, token, approval and review alive', async () => {
    const fx = await f();
    // Before anything below could append to B's log.
    expect(await auditCount(fx.b.tenantId)).toBe((await fixture)?.auditOfB);
    expect((await svc.call('GET', '/v1/me', { token: fx.b.memberToken })).statusCode).toBe(200);
    expect((await svc.call('GET', `/v1/tenants/${fx.b.tenantId}/members`, { token: fx.b.apiToken })).statusCode).toBe(200);
    const approval = await svc.t.engine.query<{ status: string }>('SELECT status FROM approval_requests WHERE id = $1', [fx.b.approvalId]);
    expect(approval[0]?.status).toBe('pending');
    const review = await svc.call('GET', `/v1/tenants/${fx.b.tenantId}/access-reviews/${fx.b.reviewId}`, { token: fx.b.ownerToken });
    expect(review.json()).toMatchObject({ review: { status: 'open', counts: { decided: 0 } } });
    const mfa = await svc.t.engine.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1', [fx.b.member.userId]);
    expect(mfa[0]?.n).toBeGreaterThan(0);
  });
});
