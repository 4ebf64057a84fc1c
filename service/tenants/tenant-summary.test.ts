import { describe, expect, it } from 'vitest';
import { TenantListSchema } from '../../shared/api/endpoints';
import { TenantSummarySchema } from '../../shared/tenants/api';
import { membersKit } from '../security/members-kit';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { createTenant } from '../tenants/tenant-repository';
import { recordVerifications, verifyAuditLogs } from '../audit/verify-log';

describe.each(TEST_ENGINES)('tenant summary and list filters, on %s', (kind) => {
  const clock = new Date('2026-07-01T09:00:05Z');
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person } = membersKit(svc, () => clock);

  it('counts members by status, MFA of active members, live sessions, open incidents and the audit head', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const other = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    const noMfa = await createTestUser(svc.t.db, svc.keys, svc.hasher, { mfa: false, memberships: [{ tenantId: tenant, role: 'viewer' }] });
    const leaving = await person([{ tenantId: tenant, role: 'editor' }]);
    await person([{ tenantId: other, role: 'owner' }]);
    const ownerToken = (await svc.steppedUp(owner)).accessToken;
    expect((await call('POST', `/v1/tenants/${tenant}/invites`, { token: ownerToken, body: { email: 'new@example.com', role: 'viewer' } })).statusCode).toBe(201);
    expect((await call('POST', `/v1/tenants/${tenant}/members/${leaving.userId}/deactivate`, { token: ownerToken })).statusCode).toBe(200);
    await svc.session(noMfa);
    const revoked = await svc.session(noMfa);
    await svc.t.engine.query('UPDATE sessions SET revoked_at = now() WHERE id = $1', [revoked.session.id]);
    const responder = await person([], ['incident_responder']);
    const opened = await call('POST', '/v1/incidents', {
      token: (await svc.session(responder)).accessToken,
      body: { title: 'Leak', severity: 'P2', personalData: false, affectedTenantIds: [tenant], detectedAt: new Date(clock.getTime() - 60_000).toISOString() },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const signed = await call('POST', `/v1/tenants/${tenant}/audit/sth`, { token: ownerToken });
    expect(signed.statusCode, signed.body).toBe(200);

    const res = await call('GET', `/v1/tenants/${tenant}/summary`, { token: ownerToken });
    expect(res.statusCode, res.body).toBe(200);
    const summary = TenantSummarySchema.parse(res.json());
    expect(summary).toMatchObject({
      tenantId: tenant,
      members: { active: 2, invited: 1, deactivated: 1 },
      mfa: { enrolled: 1, notEnrolled: 1 },
      // The owner's and the viewer's live one; not the viewer's revoked one.
      liveSessions: 2,
      openIncidents: 1,
    });
    expect(summary.audit.treeSize).toBeGreaterThan(0);
    expect(summary.audit.headIssuedAt).not.toBeNull();
    expect(summary.audit.lastVerifiedAt).toBeNull();
    // `audit verify` records each log it found intact; the summary shows when.
    const results = await verifyAuditLogs(svc.t.db, tenant);
    expect(results.map((r) => r.problem)).toEqual([null]);
    await recordVerifications(svc.t.db, results, { type: 'system', id: 'test' });
    const after = TenantSummarySchema.parse((await call('GET', `/v1/tenants/${tenant}/summary`, { token: ownerToken })).json());
    expect(after.audit.lastVerifiedAt).not.toBeNull();
    expect(after.audit.treeSize).toBe(summary.audit.treeSize + 1);
    const auditor = await person([], ['auditor']);
    expect((await call('GET', `/v1/tenants/${tenant}/summary`, { token: (await svc.session(auditor)).accessToken })).statusCode).toBe(200);
  });

  it("counts live sessions as the Sessions list shows them: another tenant's stricter policy, long idle, staff's only for staff", async () => {
    const tenant = await createTestTenant(svc.t.db);
    const strict = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    const shared = await person([{ tenantId: tenant, role: 'viewer' }, { tenantId: strict, role: 'viewer' }]);
    const staffMember = await person([{ tenantId: tenant, role: 'viewer' }], ['auditor']);
    await svc.t.engine.query(
      `INSERT INTO tenant_security_policies (tenant_id, mfa_required, idle_timeout_seconds, absolute_timeout_seconds) VALUES ($1, true, 900, 3600)
       ON CONFLICT (tenant_id) DO UPDATE SET idle_timeout_seconds = 900, absolute_timeout_seconds = 3600`,
      [strict],
    );
    const idle = await svc.session(shared);
    const fresh = await svc.session(shared);
    await svc.session(staffMember);
    // Idle past the other tenant's 15 minutes (its policy binds the person here too); and one idle past the default.
    await svc.t.engine.query("UPDATE sessions SET last_seen_at = last_seen_at - interval '20 minutes' WHERE id = $1", [idle.session.id]);
    const old = await svc.session(owner);
    await svc.t.engine.query("UPDATE sessions SET last_seen_at = last_seen_at - interval '40 days' WHERE id = $1", [old.session.id]);
    const ownerToken = (await svc.steppedUp(owner)).accessToken;
    const staffToken = (await svc.session(await person([], ['platform_admin']))).accessToken;
    const count = async (token: string) => TenantSummarySchema.parse((await call('GET', `/v1/tenants/${tenant}/summary`, { token })).json()).liveSessions;
    const listed = async (token: string) => (await call('GET', `/v1/tenants/${tenant}/sessions`, { token })).json().items.map((i: { id: string }) => i.id);
    const ownerSees = await listed(ownerToken);
    expect(ownerSees).toContain(fresh.session.id);
    expect(ownerSees).not.toContain(idle.session.id);
    expect(ownerSees).not.toContain(old.session.id);
    // The owner's stepped-up session and the shared person's fresh one; not the auditor's.
    expect(await count(ownerToken)).toBe(ownerSees.length);
    expect(ownerSees).toHaveLength(2);
    const staffSees = await listed(staffToken);
    expect(staffSees).toHaveLength(3);
    expect(await count(staffToken)).toBe(staffSees.length);
  });

  it('filters the list by region, plan and status; members still see only their tenants', async () => {
    const system = { type: 'system', id: 'test' } as const;
    const [usFree, usTeam, euFree] = await svc.t.db.platform(async (tx) => [
      await createTenant(tx, { name: 'Filter US free', region: 'us', plan: 'free' }, system),
      await createTenant(tx, { name: 'Filter US team', region: 'us', plan: 'team' }, system),
      await createTenant(tx, { name: 'Filter EU free', region: 'eu', plan: 'free' }, system),
    ]);
    await svc.t.engine.query("UPDATE tenants SET status = 'suspended' WHERE id = $1", [usTeam!.id]);
    const staff = (await svc.session(await person([], ['auditor']))).accessToken;
    const names = async (query: string, token = staff) => {
      const res = await call('GET', `/v1/tenants${query}`, { token });
      expect(res.statusCode, res.body).toBe(200);
      return TenantListSchema.parse(res.json()).items.filter((t) => t.name.startsWith('Filter')).map((t) => t.name);
    };
    expect(await names('?region=us')).toEqual(['Filter US free', 'Filter US team']);
    expect(await names('?region=us&plan=free')).toEqual(['Filter US free']);
    expect(await names('?plan=free')).toEqual(['Filter EU free', 'Filter US free']);
    expect(await names('?status=suspended')).toEqual(['Filter US team']);
    const member = (await svc.session(await person([{ tenantId: euFree!.id, role: 'viewer' }]))).accessToken;
    expect(await names('?plan=free', member)).toEqual(['Filter EU free']);
    expect((await call('GET', '/v1/tenants?region=mars', { token: staff })).statusCode).toBe(400);
    expect(usFree).toBeDefined();
  });
});
