/**
 * Threat: an access review whose closing removes the only active owner, while
 * invited or deactivated owners (who run nothing) are counted as remaining
 * owners: the tenant is left with no one who can administer it (issue 11, finding 6).
 */
import { describe, expect, it } from 'vitest';
import { AccessReviewSchema } from '../../shared/access-reviews/schemas';
import { InviteCreatedSchema } from '../../shared/identity/members';
import type { TenantId } from '../../shared/tenants/tenant';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { membersKit } from './members-kit';

describe.each(TEST_ENGINES)('access review closing on the last active owner, on %s', (kind) => {
  const clock = new Date('2026-07-01T09:00:05Z');
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, refused } = membersKit(svc, () => clock);
  const token = async (u: Parameters<typeof svc.steppedUp>[0]) => (await svc.steppedUp(u)).accessToken;
  const owners = async (tenant: TenantId) =>
    svc.t.db.tenant(tenant, (tx) => tx.query<{ user_id: string; status: string }>("SELECT user_id, status FROM memberships WHERE role = 'owner' ORDER BY status"));

  it('refuses (409 last_owner) when only invited or deactivated owners would remain, and changes nothing', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const [owner, formerOwner, admin] = [
      await person([{ tenantId: tenant, role: 'owner' }]),
      await person([{ tenantId: tenant, role: 'owner' }]),
      await person([{ tenantId: tenant, role: 'admin' }]),
    ];
    const officer = await person([], ['security_officer']);
    const ownerToken = await token(owner);
    expect((await call('POST', `/v1/tenants/${tenant}/members/${formerOwner.userId}/deactivate`, { token: ownerToken })).statusCode).toBe(200);
    const invited = await call('POST', `/v1/tenants/${tenant}/invites`, { token: ownerToken, body: { email: `owner-to-be-${tenant}@example.com`, role: 'owner' } });
    const pendingOwner = InviteCreatedSchema.parse(invited.json()).member.userId;

    const base = `/v1/tenants/${tenant}/access-reviews`;
    const started = await call('POST', base, { token: await token(admin), body: { title: 'Q3' } });
    expect(started.statusCode, started.body).toBe(201);
    const review = AccessReviewSchema.parse(started.json()).review;
    const decide = async (bearer: string, userId: string, body: object) =>
      expect((await call('PUT', `${base}/${review.id}/items/${userId}`, { token: bearer, body })).statusCode).toBe(200);
    // Platform staff decide the active owner's removal; the owner keeps everyone else, owners included.
    const officerToken = await token(officer);
    await decide(officerToken, owner.userId, { decision: 'remove', comment: 'left' });
    for (const u of [admin.userId, formerOwner.userId, pendingOwner]) await decide(ownerToken, u, { decision: 'keep' });

    const before = await owners(tenant);
    await refused(call('POST', `${base}/${review.id}/close`, { token: await token(admin) }), 409, 'last_owner');
    expect(await owners(tenant)).toEqual(before);
    expect(before.filter((o) => o.status === 'active').map((o) => o.user_id)).toEqual([owner.userId]);

    // Keeping the active owner lets it close.
    await decide(officerToken, owner.userId, { decision: 'keep' });
    expect((await call('POST', `${base}/${review.id}/close`, { token: await token(admin) })).statusCode).toBe(200);
  });
});
