/**
 * Threat: the platform's own scope id (the nil UUID, which names the platform's
 * audit log, approvals and incident view) sent where a tenant is expected. It is
 * a valid-shaped UUID, so it reaches tenant-only handlers; found by the IPC fuzzer
 * as a 500 on `members.mfaPolicy` (and five more routes) for platform staff.
 * Every route with a tenant in its path, generated from the route table, is called
 * with it by staff holding every platform role: each answers the platform's scope
 * or refuses with a 4xx and a stable code — never a 5xx.
 */
import { describe, expect, it } from 'vitest';
import { endpoints, type Endpoint } from '../../shared/api/endpoints';
import { PLATFORM_SCOPE_ID } from '../../shared/approvals/schemas';
import { ApiErrorBodySchema, ERROR_CODES } from '../../shared/errors/codes';
import { PLATFORM_ROLES } from '../../shared/identity/roles';
import { TEST_ENGINES } from '../testing/databases';
import { createTestUser } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { urlFor, validBody } from '../testing/route-requests';
import { setUpTwoTenants } from '../testing/two-tenants';

const tenantRoutes = Object.entries(endpoints as Record<string, Endpoint>).filter(([, e]) => e.path.includes(':tenantId'));

describe.each(TEST_ENGINES)('the platform id in place of a tenant (%s)', (kind) => {
  const clock = new Date('2026-05-04T10:00:00Z');
  const svc = inProcessService(kind, { now: () => clock });

  it('is answered on every tenant route without a 5xx: the platform scope, or 404 where only tenants are served', async () => {
    const { a } = await setUpTwoTenants(svc, () => clock);
    const staff = await createTestUser(svc.t.db, svc.keys, svc.hasher, { platformRoles: [...PLATFORM_ROLES] });
    const token = (await svc.steppedUp(staff)).accessToken;
    const answers = [];
    for (const [name, e] of tenantRoutes) {
      const body = validBody(e, clock);
      const res = await svc.call(e.method, urlFor(e, a, PLATFORM_SCOPE_ID), { token, ...(body ? { body } : {}) });
      const code = res.statusCode < 400 ? null : (ApiErrorBodySchema.safeParse(JSON.parse(res.body)).data?.error.code ?? 'none');
      answers.push({ name, status: res.statusCode, code });
    }
    expect(answers.filter((r) => r.status >= 500 || (r.code !== null && !(ERROR_CODES as readonly string[]).includes(r.code)))).toEqual([]);
    // The tenant-only reads that failed with 500 now say what getTenant always said.
    for (const name of ['listMembers', 'getMfaPolicy', 'listApiTokens', 'listSessions', 'listAccessReviews'] as const) {
      expect(answers.find((r) => r.name === name)).toEqual({ name, status: 404, code: 'not_found' });
    }
  });
});
