import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IpcChannel, IpcOutput } from '../../../shared/ipc/contract';
import type { TenantRole } from '../../../shared/identity/roles';
import type { TenantId } from '../../../shared/tenants/tenant';
import type { TestUser } from '../../../service/testing/identity-fixtures';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import { signIn, startConsole } from '../testing/console-under-test.fixture';

type Request = IpcOutput<'approvals.list'>[number];

/** The approvals channels, driven through two console cores against the real service over HTTPS. */
describe('approvals channels (core, against the real service)', () => {
  let service: RealService;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    service = await startRealService();
  });
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });
  afterAll(() => service.close());

  const consoleFor = async (user: TestUser) => {
    const { call } = await startConsole(service, cleanup);
    const sessionId = (await signIn(service, { call }, user)).me.session.id;
    const stepUp = async () => expect(await call('auth.stepUp', { code: await service.code(user.secret) })).toMatchObject({ ok: true });
    return { call, sessionId, stepUp };
  };
  const setUp = async (...roles: TenantRole[]) => {
    const tenantId: TenantId = await service.tenant();
    const users = await Promise.all(roles.map((role) => service.user({ memberships: [{ tenantId, role }] })));
    return { tenantId, users };
  };
  const inbox = async (c: { call: (ch: IpcChannel, i?: unknown) => Promise<unknown> }) => ((await c.call('approvals.list')) as { ok: true; value: Request[] }).value;

  it('a request made in one console appears in another admin’s inbox; only that admin, after step-up, can approve it; the action runs', async () => {
    const { tenantId, users } = await setUp('admin', 'owner', 'viewer');
    const [admin, owner, viewer] = users as [TestUser, TestUser, TestUser];
    const a = await consoleFor(admin);
    const o = await consoleFor(owner);
    const v = await consoleFor(viewer);
    await a.stepUp();
    const made = (await a.call('approvals.requestMemberRemoval', { tenantId, userIds: [viewer.userId], reason: 'left the company' })) as { ok: true; value: Request };
    expect(made).toMatchObject({ ok: true, value: { status: 'pending', mine: true, subject: { action: 'members.bulk_remove', userIds: [viewer.userId] } } });
    const id = made.value.id;

    expect((await inbox(a)).find((r) => r.id === id)).toMatchObject({ mine: true, canDecide: false });
    expect((await inbox(o)).find((r) => r.id === id)).toMatchObject({ mine: false, canDecide: true, reason: 'left the company' });
    expect((await inbox(v)).find((r) => r.id === id)).toBeUndefined();

    const decision = { tenantId, approvalId: id, comment: 'HR confirmed' };
    await expect(a.call('approvals.approve', decision)).resolves.toMatchObject({ ok: false, error: { code: 'approval_self' } });
    await expect(o.call('approvals.approve', decision)).resolves.toMatchObject({ ok: false, error: { code: 'step_up_required' } });
    await expect(o.call('approvals.approve', { ...decision, approvalId: 'nope' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await expect(v.call('tenants.list')).resolves.toMatchObject({ ok: true, value: [{ id: tenantId }] });

    await o.stepUp();
    await expect(o.call('approvals.approve', decision)).resolves.toMatchObject({ ok: true, value: { status: 'approved', result: { removed: 1 }, comment: 'HR confirmed' } });
    // The removed viewer, now in no tenant, may list none (at the very next call); the requester sees the outcome.
    await expect(v.call('tenants.list')).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await inbox(a)).find((r) => r.id === id)).toMatchObject({ status: 'approved', decidedBy: { email: owner.email } });
    await expect(o.call('approvals.deny', decision)).resolves.toMatchObject({ ok: false, error: { code: 'approval_decided' } });
  });

  it('an access review through the channels: started after step-up, decided, refused while incomplete, closed with its changes applied', async () => {
    const { tenantId, users } = await setUp('owner', 'admin', 'viewer');
    const [owner, admin, viewer] = users as [TestUser, TestUser, TestUser];
    const o = await consoleFor(owner);
    const a = await consoleFor(admin);
    await expect(o.call('accessReviews.start', { tenantId, title: 'Q2' })).resolves.toMatchObject({ ok: false, error: { code: 'step_up_required' } });
    await o.stepUp();
    const started = (await o.call('accessReviews.start', { tenantId, title: 'Q2' })) as { ok: true; value: IpcOutput<'accessReviews.get'> };
    expect(started).toMatchObject({ ok: true, value: { review: { status: 'open', counts: { memberships: 3, decided: 0 } } } });
    const reviewId = started.value.review.id;
    const decide = (c: typeof o, userId: string, decision: string, extra: object = {}) => c.call('accessReviews.decide', { tenantId, reviewId, userId, decision, ...extra });
    await expect(decide(a, viewer.userId, 'remove', { comment: 'contract ended' })).resolves.toMatchObject({ ok: true, value: { decision: 'remove', comment: 'contract ended' } });
    await expect(decide(a, admin.userId, 'change_role')).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // Nobody decides their own membership.
    await expect(decide(a, admin.userId, 'keep')).resolves.toMatchObject({ ok: false, error: { code: 'review_self' } });
    await expect(decide(o, admin.userId, 'keep')).resolves.toMatchObject({ ok: true });
    await expect(o.call('accessReviews.close', { tenantId, reviewId })).resolves.toMatchObject({ ok: false, error: { code: 'access_review_incomplete' } });
    await expect(decide(a, owner.userId, 'keep')).resolves.toMatchObject({ ok: true });
    await expect(o.call('accessReviews.close', { tenantId, reviewId })).resolves.toMatchObject({ ok: true, value: { status: 'closed', counts: { remove: 1, keep: 2 } } });
    const list = (await o.call('accessReviews.list', { tenantId })) as { ok: true; value: IpcOutput<'accessReviews.list'> };
    expect(list.value.map((r) => [r.id, r.status])).toEqual([[reviewId, 'closed']]);
    const members = (await o.call('members.list', { tenantId })) as { ok: true; value: IpcOutput<'members.list'> };
    expect(members.value.items.map((m) => m.userId).sort()).toEqual([owner.userId, admin.userId].sort());
  });
});
