/**
 * Threat: a reviewer decides their own membership in an access review (a
 * reviewer made himself admin) and closing applies it; or one person decides a
 * role upgrade and closes the campaign that applies it (issue 11, finding 8).
 */
import { describe, expect, it } from 'vitest';
import { AccessReviewSchema } from '../../shared/access-reviews/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, type TestUser } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { membersKit } from './members-kit';

describe.each(TEST_ENGINES)('access review self-decisions, on %s', (kind) => {
  const clock = new Date('2026-07-01T09:00:05Z');
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, refused } = membersKit(svc, () => clock);
  const token = async (u: TestUser) => (await svc.steppedUp(u)).accessToken;
  const roleOf = async (tenant: TenantId, userId: string) =>
    (await svc.t.db.tenant(tenant, (tx) => tx.query<{ role: string }>('SELECT role FROM memberships WHERE user_id = $1', [userId])))[0]?.role;

  const campaign = async () => {
    const tenant = await createTestTenant(svc.t.db);
    const [owner, admin, reviewer, editor] = [
      await person([{ tenantId: tenant, role: 'owner' }]),
      await person([{ tenantId: tenant, role: 'admin' }]),
      await person([{ tenantId: tenant, role: 'reviewer' }]),
      await person([{ tenantId: tenant, role: 'editor' }]),
    ];
    const base = `/v1/tenants/${tenant}/access-reviews`;
    const started = await call('POST', base, { token: await token(admin), body: { title: 'Q3' } });
    expect(started.statusCode, started.body).toBe(201);
    const id = AccessReviewSchema.parse(started.json()).review.id;
    const decide = (bearer: string, userId: string, body: object) => call('PUT', `${base}/${id}/items/${userId}`, { token: bearer, body });
    const close = async (u: TestUser) => call('POST', `${base}/${id}/close`, { token: await token(u) });
    return { tenant, owner, admin, reviewer, editor, decide, close };
  };

  it('nobody decides their own membership (403 review_self): not a reviewer making himself admin, not an admin, not an owner', async () => {
    const { tenant, owner, admin, reviewer, decide } = await campaign();
    await refused(decide(await token(reviewer), reviewer.userId, { decision: 'change_role', newRole: 'admin', comment: 'promoting myself' }), 403, 'review_self');
    await refused(decide(await token(admin), admin.userId, { decision: 'keep' }), 403, 'review_self');
    await refused(decide(await token(owner), owner.userId, { decision: 'keep' }), 403, 'review_self');
    expect(await roleOf(tenant, reviewer.userId)).toBe('reviewer');
  });

  it('a role upgrade, like a removal, is closed by someone other than who decided it (403 approval_self); a downgrade is not', async () => {
    const { tenant, owner, admin, reviewer, editor, decide, close } = await campaign();
    const adminToken = await token(admin);
    expect((await decide(adminToken, editor.userId, { decision: 'change_role', newRole: 'admin' })).statusCode).toBe(200);
    expect((await decide(adminToken, reviewer.userId, { decision: 'change_role', newRole: 'viewer' })).statusCode).toBe(200);
    expect((await decide(adminToken, owner.userId, { decision: 'keep' })).statusCode).toBe(200);
    expect((await decide(await token(owner), admin.userId, { decision: 'keep' })).statusCode).toBe(200);
    await refused(close(admin), 403, 'approval_self');
    expect(await roleOf(tenant, editor.userId)).toBe('editor');
    // The downgrade alone would not have stopped them; another owner or admin closes.
    expect((await close(owner)).statusCode).toBe(200);
    expect([await roleOf(tenant, editor.userId), await roleOf(tenant, reviewer.userId)]).toEqual(['admin', 'viewer']);
  });

  it('whoever decided only downgrades and keeps may close', async () => {
    const { tenant, owner, admin, reviewer, editor, decide, close } = await campaign();
    const adminToken = await token(admin);
    expect((await decide(adminToken, editor.userId, { decision: 'change_role', newRole: 'viewer' })).statusCode).toBe(200);
    for (const u of [reviewer, owner]) expect((await decide(adminToken, u.userId, { decision: 'keep' })).statusCode).toBe(200);
    expect((await decide(await token(owner), admin.userId, { decision: 'keep' })).statusCode).toBe(200);
    expect((await close(admin)).statusCode).toBe(200);
    expect(await roleOf(tenant, editor.userId)).toBe('viewer');
  });
});
