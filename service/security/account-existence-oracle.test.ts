/**
 * Threat: a tenant admin tests whether any email address has an account by
 * inviting it and reading the tenant's audit log (`newAccount`) or the invite's
 * answer (issue 11, finding 10). The fact stays in the platform's log.
 */
import { describe, expect, it } from 'vitest';
import { InviteCreatedSchema } from '../../shared/identity/members';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { membersKit } from './members-kit';

describe.each(TEST_ENGINES)('account existence oracle through invites, on %s', (kind) => {
  const clock = new Date('2026-07-01T09:00:05Z');
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, audit, platformAudit } = membersKit(svc, () => clock);

  it('an invite of an existing address and of an unknown one look the same to the tenant; only the platform log says which', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const elsewhere = await createTestTenant(svc.t.db);
    const admin = await person([{ tenantId: tenant, role: 'admin' }]);
    const existing = await person([{ tenantId: elsewhere, role: 'owner' }]);
    const bearer = (await svc.steppedUp(admin)).accessToken;
    const invite = async (email: string) => {
      const res = await call('POST', `/v1/tenants/${tenant}/invites`, { token: bearer, body: { email, role: 'viewer' } });
      expect(res.statusCode, res.body).toBe(201);
      return InviteCreatedSchema.parse(res.json());
    };
    const known = await invite(existing.email.toUpperCase());
    const unknown = await invite(`Nobody-${tenant}@Example.com`);

    // The answers differ only in ids, token and the address as typed (lower-cased alike, named after it alike).
    const shape = (i: typeof known) => ({
      ...i.member,
      userId: '-',
      email: i.member.email === i.member.email.toLowerCase(),
      displayName: i.member.displayName === i.member.email.split('@')[0],
    });
    expect(shape(known)).toEqual(shape(unknown));
    expect(shape(known)).toMatchObject({ status: 'invited', mfaEnrolled: false, lastSignInAt: null });

    const invited = (await audit(tenant)).filter((e) => e.action === 'member.invited');
    expect(invited.map((e) => Object.keys(e.details).sort())).toEqual([
      ['expiresAt', 'inviteId', 'replacedPending', 'role'],
      ['expiresAt', 'inviteId', 'replacedPending', 'role'],
    ]);
    expect(JSON.stringify(await audit(tenant))).not.toContain('newAccount');

    const platform = (await platformAudit()).filter((e) => e.action === 'member.invited' && e.details.tenantId === tenant);
    expect(platform.map((e) => [e.target, e.details.newAccount])).toEqual([
      [`user:${existing.userId}`, false],
      [`user:${unknown.member.userId}`, true],
    ]);
  });
});
