import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InviteAcceptedSchema } from '../../shared/identity/members';
import { TenantCreatedSchema } from '../../shared/tenants/api';
import { createOperator, issueOperatorToken } from '../operators/operator-repository';
import { membersKit } from '../security/members-kit';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

describe.each(TEST_ENGINES)('creating a tenant, on %s', (kind) => {
  const clock = new Date('2026-07-01T09:00:05Z');
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, refused, audit, platformAudit } = membersKit(svc, () => clock);
  const operatorToken = async () =>
    svc.t.db.platform(async (tx) => (await issueOperatorToken(tx, (await createOperator(tx, 'Sign-up flow', { type: 'system', id: 'test' })).id, 'signup', { type: 'system', id: 'test' })).token);
  const body = (over: object = {}) => ({
    name: 'Globex Health',
    slug: `globex-${randomUUID().slice(0, 8)}`,
    region: 'eu',
    plan: 'team',
    ownerEmail: `owner-${randomUUID().slice(0, 8)}@globex.example`,
    ...over,
  });

  it('an operator API token creates a tenant with its policy row, its owner invited (token once), audited in both logs', async () => {
    const sent = body();
    const res = await call('POST', '/v1/tenants', { token: await operatorToken(), body: sent });
    expect(res.statusCode, res.body).toBe(201);
    const created = TenantCreatedSchema.parse(res.json());
    expect(created.tenant).toMatchObject({ name: sent.name, slug: sent.slug, region: 'eu', plan: 'team', status: 'active' });
    expect(created.invite.member).toMatchObject({ email: sent.ownerEmail, role: 'owner', status: 'invited' });
    const tenant = created.tenant.id;
    const policy = await svc.t.db.tenant(tenant, (tx) => tx.query('SELECT mfa_required, idle_timeout_seconds, absolute_timeout_seconds FROM tenant_security_policies'));
    expect(policy).toEqual([{ mfa_required: true, idle_timeout_seconds: 14 * 86_400, absolute_timeout_seconds: 30 * 86_400 }]);
    expect((await audit(tenant)).map((e) => e.action)).toEqual(['tenant.created', 'member.invited']);
    const platform = (await platformAudit()).filter((e) => e.target === `tenant:${tenant}` || e.details.tenantId === tenant);
    expect(platform.map((e) => [e.action, e.actor.type])).toEqual([
      ['tenant.created', 'operator'],
      ['member.invited', 'operator'],
    ]);
    // The name and slug are free text: beside the leaf, erasable, never hashed into it.
    expect(platform[0]?.personal?.data).toEqual({ name: sent.name, slug: sent.slug });
    expect(JSON.stringify(platform[0]?.details)).not.toContain(sent.slug);
    // A new person sets a password on accepting; then they are the tenant's active owner.
    const accepted = await call('POST', '/v1/invites/accept', { body: { token: created.invite.token, password: `a long and fine password ${randomUUID()}` } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(InviteAcceptedSchema.parse(accepted.json())).toMatchObject({ tenantId: tenant, role: 'owner' });
  });

  it('a platform admin creates one with a step-up, not without (403 step_up_required); other platform roles cannot (403 forbidden)', async () => {
    const admin = await person([], ['platform_admin']);
    await refused(call('POST', '/v1/tenants', { token: (await svc.session(admin)).accessToken, body: body() }), 403, 'step_up_required');
    const res = await call('POST', '/v1/tenants', { token: (await svc.steppedUp(admin)).accessToken, body: body() });
    expect(res.statusCode, res.body).toBe(201);
    for (const role of ['security_officer', 'incident_responder', 'auditor'] as const) {
      const staff = await person([], [role]);
      await refused(call('POST', '/v1/tenants', { token: (await svc.steppedUp(staff)).accessToken, body: body() }), 403, 'forbidden');
    }
  });

  it('an existing account is invited as owner and accepts signed in as itself', async () => {
    const elsewhere = await createTestTenant(svc.t.db);
    const existing = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: elsewhere, role: 'viewer' }], at: new Date(clock.getTime() - 86_400_000) });
    const res = await call('POST', '/v1/tenants', { token: await operatorToken(), body: body({ ownerEmail: existing.email }) });
    expect(res.statusCode, res.body).toBe(201);
    const { tenant, invite } = TenantCreatedSchema.parse(res.json());
    await refused(call('POST', '/v1/invites/accept', { body: { token: invite.token, password: 'whatever it is, not asked' } }), 401, 'auth_required');
    const accepted = await call('POST', '/v1/invites/accept', { token: (await svc.session(existing)).accessToken, body: { token: invite.token } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(InviteAcceptedSchema.parse(accepted.json())).toMatchObject({ tenantId: tenant.id, userId: existing.userId, role: 'owner' });
  });

  it('refuses bad input with stable codes and creates nothing', async () => {
    const token = await operatorToken();
    const count = async () => Number((await svc.t.engine.query<{ n: string | number }>('SELECT count(*) AS n FROM tenants'))[0]?.n);
    const before = await count();
    const first = body();
    expect((await call('POST', '/v1/tenants', { token, body: first })).statusCode).toBe(201);
    await refused(call('POST', '/v1/tenants', { token, body: body({ slug: first.slug }) }), 409, 'slug_taken');
    for (const slug of ['ab', 'Acme', '-acme', 'acme-', 'ac--me', 'ac_me', 'x'.repeat(64)]) {
      const res = await call('POST', '/v1/tenants', { token, body: body({ slug }) });
      expect(errorOf(res)).toEqual({ status: 400, code: 'validation_failed' });
      expect((res.json() as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path)).toEqual(['body.slug']);
    }
    await refused(call('POST', '/v1/tenants', { token, body: body({ region: 'mars' }) }), 400, 'validation_failed');
    await refused(call('POST', '/v1/tenants', { token, body: body({ plan: 'platinum' }) }), 400, 'validation_failed');
    await refused(call('POST', '/v1/tenants', { token, body: body({ ownerEmail: 'not an email' }) }), 400, 'validation_failed');
    await refused(call('POST', '/v1/tenants', { token, body: body({ name: '' }) }), 400, 'validation_failed');
    expect(await count()).toBe(before + 1);
  });
});
