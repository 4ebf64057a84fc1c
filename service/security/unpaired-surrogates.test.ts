/**
 * Threat: text that is not Unicode. JSON can carry an unpaired UTF-16 surrogate
 * (`"\udc00\udc00"`); the HTTP fuzzer found it a 500 on PGlite (its encoder sends
 * the database invalid UTF-8) for a revoke-all reason. Every request field is now
 * checked at the edge: 400 `validation_failed` naming the field, nothing stored.
 */
import { describe, expect, it } from 'vitest';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

describe.each(TEST_ENGINES)('unpaired surrogates in request text (%s)', (kind) => {
  const clock = new Date('2026-05-04T10:00:00Z');
  const svc = inProcessService(kind, { now: () => clock });

  const post = (url: string, token: string, json: string) =>
    svc.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: json });

  it('are refused with 400 validation_failed where a string is expected, and nothing is stored', async () => {
    const tenantId = await createTestTenant(svc.t.db);
    const owner = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId, role: 'owner' }] });
    const token = (await svc.steppedUp(owner)).accessToken;
    const expiresAt = new Date(clock.getTime() + 24 * 3600_000).toISOString();
    const attempts = [
      post(`/v1/tenants/${tenantId}/sessions/revoke-all`, token, '{"reason":"leak \\udc00\\udc00 found"}'),
      post(`/v1/tenants/${tenantId}/sessions/revoke-all`, token, '{"reason":"\\ud800"}'),
      post(`/v1/tenants/${tenantId}/api-tokens`, token, `{"name":"ci \\udfff\\ud800","scopes":["members.read"],"expiresAt":"${expiresAt}"}`),
      post(`/v1/tenants/${tenantId}/access-reviews`, token, '{"title":"\\udc00\\udc00\\udc00"}'),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(errorOf(res)).toEqual({ status: 400, code: 'validation_failed' });
      // The text schema (shared/common/text.ts) names the field; the edge check does for strings outside it.
      expect((res.json() as { error: { issues?: { path: string }[] } }).error.issues?.[0]?.path).toMatch(/^body\.(reason|name|title)$/);
    }
    const stored = await svc.t.engine.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM approval_requests WHERE tenant_id = $1) + (SELECT count(*) FROM api_tokens WHERE tenant_id = $1) + (SELECT count(*) FROM access_reviews WHERE tenant_id = $1) AS n',
      [tenantId],
    );
    expect(Number(stored[0]?.n)).toBe(0);
  });

  it('still accept paired surrogates (emoji) and other non-ASCII text', async () => {
    const tenantId = await createTestTenant(svc.t.db);
    const owner = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId, role: 'owner' }] });
    const res = await post(`/v1/tenants/${tenantId}/access-reviews`, (await svc.steppedUp(owner)).accessToken, '{"title":"Q2 \\ud83d\\ude00 Überprüfung"}');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ review: { title: 'Q2 😀 Überprüfung' } });
  });
});
