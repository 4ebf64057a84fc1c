/**
 * Threat: someone learns another tenant's security posture (how many members lack
 * MFA, a dormant admin, an overdue review: a map of where to attack), or the
 * posture leaks who those people are. An admin of tenant A asks for B's posture;
 * a viewer or editor of B asks for B's; a tenant admin asks for the platform's;
 * anyone asks for a tenant that does not exist. And the evidence a permitted
 * caller gets carries figures only: no email, name or id of a person. Snapshots:
 * only owners, admins and platform officers take them (not a reviewer, viewer or
 * the read-only auditor, not another tenant's admin), and a stored snapshot
 * cannot be rewritten or deleted through the service's role (no grant).
 */
import { describe, expect, it } from 'vitest';
import { PostureSchema, PostureSnapshotSchema } from '../../shared/posture/api';
import { PLATFORM_TENANT_ID } from '../db/db';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { membersKit } from './members-kit';

describe.each(TEST_ENGINES)("another tenant's posture, on %s", (kind) => {
  const clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, refused } = membersKit(svc, () => clock);

  it('an admin of A cannot read B’s posture (403), nor a viewer or editor of B, nor a tenant admin the platform’s; an unknown tenant is 404', async () => {
    const a = await createTestTenant(svc.t.db, 'Posture A');
    const b = await createTestTenant(svc.t.db, 'Posture B');
    const adminOfA = (await svc.session(await person([{ tenantId: a, role: 'admin' }]))).accessToken;
    await refused(call('GET', `/v1/tenants/${b}/posture`, { token: adminOfA }), 403, 'forbidden');
    await refused(call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/posture`, { token: adminOfA }), 403, 'forbidden');
    for (const role of ['viewer', 'editor'] as const) {
      const token = (await svc.session(await person([{ tenantId: b, role }]))).accessToken;
      await refused(call('GET', `/v1/tenants/${b}/posture`, { token }), 403, 'forbidden');
    }
    await refused(call('GET', `/v1/tenants/${b}/posture`, {}), 401, 'auth_required');
    const reviewerOfB = (await svc.session(await person([{ tenantId: b, role: 'reviewer' }]))).accessToken;
    expect((await call('GET', `/v1/tenants/${b}/posture`, { token: reviewerOfB })).statusCode).toBe(200);
    const auditor = (await svc.session(await person([], ['auditor']))).accessToken;
    await refused(call('GET', '/v1/tenants/7c9e6679-7425-40de-944b-e07fc1f90ae7/posture', { token: auditor }), 404, 'not_found');
    // The same admin reads A: the refusal is about the tenant, not the caller.
    expect((await call('GET', `/v1/tenants/${a}/posture`, { token: adminOfA })).statusCode).toBe(200);
  });

  it('evidence holds figures only: no email, name or id of any member, even of those it counts', async () => {
    const tenant = await createTestTenant(svc.t.db, 'Posture people');
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    const people = [
      owner,
      await createTestUser(svc.t.db, svc.keys, svc.hasher, { mfa: false, email: 'no.mfa.person@example.com', memberships: [{ tenantId: tenant, role: 'viewer' }] }),
      await createTestUser(svc.t.db, svc.keys, svc.hasher, { email: 'dormant.admin@example.com', memberships: [{ tenantId: tenant, role: 'admin' }] }),
    ];
    await svc.t.engine.query("UPDATE memberships SET last_sign_in_at = now() - interval '200 days' WHERE tenant_id = $1 AND role = 'admin'", [tenant]);
    const res = await call('GET', `/v1/tenants/${tenant}/posture`, { token: (await svc.session(owner)).accessToken });
    expect(res.statusCode, res.body).toBe(200);
    const posture = PostureSchema.parse(res.json());
    // The figures are there (the control did count them) …
    expect(posture.controls.find((c) => c.id === 'auth.mfa')?.evidence).toMatchObject({ enrolled: 2, activeMembers: 3 });
    expect(posture.controls.find((c) => c.id === 'access.least_privilege')?.evidence).toMatchObject({ dormantPrivileged: 1 });
    // … and nothing names them.
    for (const p of people) {
      expect(res.body).not.toContain(p.userId);
      expect(res.body.toLowerCase()).not.toContain(p.email.toLowerCase());
      expect(res.body.toLowerCase()).not.toContain(p.email.split('@')[0]!.toLowerCase());
    }
    expect(res.body).not.toMatch(/@/);
    for (const c of posture.controls) for (const v of Object.values(c.evidence)) expect(typeof v === 'string' ? v.length : 0).toBeLessThan(40);
  });

  it('snapshots: refused to other tenants, reviewers, viewers and the auditor; stored ones cannot be changed or deleted', async () => {
    const a = await createTestTenant(svc.t.db, 'Snap A');
    const b = await createTestTenant(svc.t.db, 'Snap B');
    const adminOfA = (await svc.session(await person([{ tenantId: a, role: 'admin' }]))).accessToken;
    const ownerOfB = (await svc.session(await person([{ tenantId: b, role: 'owner' }]))).accessToken;
    await refused(call('POST', `/v1/tenants/${b}/posture/snapshots`, { token: adminOfA }), 403, 'forbidden');
    await refused(call('GET', `/v1/tenants/${b}/posture/snapshots`, { token: adminOfA }), 403, 'forbidden');
    await refused(call('POST', `/v1/tenants/${PLATFORM_TENANT_ID}/posture/snapshots`, { token: adminOfA }), 403, 'forbidden');
    for (const role of ['reviewer', 'viewer'] as const) {
      const token = (await svc.session(await person([{ tenantId: b, role }]))).accessToken;
      await refused(call('POST', `/v1/tenants/${b}/posture/snapshots`, { token }), 403, 'forbidden');
    }
    const auditor = (await svc.session(await person([], ['auditor']))).accessToken;
    await refused(call('POST', `/v1/tenants/${b}/posture/snapshots`, { token: auditor }), 403, 'forbidden');
    expect((await call('GET', `/v1/tenants/${b}/posture/snapshots`, { token: auditor })).statusCode).toBe(200);
    const taken = await call('POST', `/v1/tenants/${b}/posture/snapshots`, { token: ownerOfB });
    expect(taken.statusCode, taken.body).toBe(201);
    const snapshot = PostureSnapshotSchema.parse(taken.json());
    // Rewriting history through the service's own role: no UPDATE or DELETE is granted.
    await expect(svc.t.db.tenant(b, (tx) => tx.query("UPDATE posture_snapshots SET sha256 = repeat('0', 64) WHERE id = $1", [snapshot.id]))).rejects.toThrow(/permission denied/);
    await expect(svc.t.db.tenant(b, (tx) => tx.query('DELETE FROM posture_snapshots WHERE id = $1', [snapshot.id]))).rejects.toThrow(/permission denied/);
    // A's scope does not even see B's snapshot.
    expect(await svc.t.db.tenant(a, (tx) => tx.query('SELECT id FROM posture_snapshots WHERE id = $1', [snapshot.id]))).toEqual([]);
    const stored = await svc.t.engine.query<{ sha256: string }>('SELECT sha256 FROM posture_snapshots WHERE id = $1', [snapshot.id]);
    expect(stored.map((r) => r.sha256)).toEqual([snapshot.sha256]);
  });
});
