/**
 * Threat: one member of the operator's staff suspends (or reinstates) a tenant on
 * their own say: they request it and approve it themselves, or an operator API
 * token (which cannot step up and is no person) does either. A second person must
 * approve: 403 approval_self, and the tenant is untouched.
 */
import { describe, expect, it } from 'vitest';
import { ApprovalRequestSchema } from '../../shared/approvals/schemas';
import { createOperator, issueOperatorToken } from '../operators/operator-repository';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

describe.each(TEST_ENGINES)('suspension approved by its requester, on %s', (kind) => {
  const clock = new Date('2026-05-04T10:00:00Z');
  const svc = inProcessService(kind, { now: () => clock });
  const system = { type: 'system', id: 'test' } as const;

  it('the requester cannot approve their own suspension (403 approval_self); an operator token can neither request nor approve', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const officer = await createTestUser(svc.t.db, svc.keys, svc.hasher, { platformRoles: ['security_officer', 'platform_admin'] });
    const token = (await svc.steppedUp(officer)).accessToken;
    const requested = await svc.call('POST', `/v1/tenants/${tenant}/suspend`, { token, body: { reason: 'abuse report' } });
    expect(requested.statusCode, requested.body).toBe(202);
    const approval = ApprovalRequestSchema.parse(requested.json());
    expect(approval).toMatchObject({ subject: { action: 'tenant.suspend' }, status: 'pending', tenantId: tenant });
    expect(errorOf(await svc.call('POST', `/v1/tenants/${tenant}/approvals/${approval.id}/approve`, { token, body: {} }))).toEqual({ status: 403, code: 'approval_self' });
    const operator = await svc.t.db.platform(async (tx) => (await issueOperatorToken(tx, (await createOperator(tx, 'Ops', system)).id, 'ops', system)).token);
    expect(errorOf(await svc.call('POST', `/v1/tenants/${tenant}/approvals/${approval.id}/approve`, { token: operator, body: {} }))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await svc.call('POST', `/v1/tenants/${tenant}/suspend`, { token: operator, body: { reason: 'scripted' } }))).toEqual({ status: 403, code: 'forbidden' });
    // An auditor (read-only) is no second person for this either.
    const auditor = await createTestUser(svc.t.db, svc.keys, svc.hasher, { platformRoles: ['auditor'] });
    const auditorToken = (await svc.steppedUp(auditor)).accessToken;
    expect(errorOf(await svc.call('POST', `/v1/tenants/${tenant}/approvals/${approval.id}/approve`, { token: auditorToken, body: {} }))).toEqual({ status: 403, code: 'forbidden' });
    const rows = await svc.t.engine.query<{ status: string }>('SELECT status FROM tenants WHERE id = $1', [tenant]);
    expect(rows).toEqual([{ status: 'active' }]);
    const pending = await svc.t.engine.query<{ status: string }>('SELECT status FROM approval_requests WHERE id = $1', [approval.id]);
    expect(pending).toEqual([{ status: 'pending' }]);
  });
});
