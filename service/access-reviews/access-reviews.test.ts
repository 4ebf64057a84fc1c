import { describe, expect, it } from 'vitest';
import { AccessReviewListSchema, AccessReviewSchema, type AccessReview } from '../../shared/access-reviews/schemas';
import type { TenantRole } from '../../shared/identity/roles';
import { ACCESS_REVIEW_POLICY } from '../../shared/policy/access-reviews';
import type { TenantId } from '../../shared/tenants/tenant';
import { listAuditEvents } from '../audit/audit-log';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser, sessionFor } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

const DAY = 24 * 3600_000;

describe.each(TEST_ENGINES)('access reviews on %s', (kind) => {
  let clock = new Date('2026-01-05T09:00:00Z');

  const svc = inProcessService(kind, { now: () => clock });
  const { keys, steppedUp } = svc;

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, body?: object) => svc.call(method, url, { token, ...(body ? { body } : {}) });
  const member = (tenantId: TenantId, role: TenantRole) => createTestUser(svc.t.db, keys, svc.hasher, { memberships: [{ tenantId, role }] });
  const roles = async (tenantId: TenantId) =>
    Object.fromEntries(
      (await svc.t.db.tenant(tenantId, (tx) => tx.query<{ user_id: string; role: string }>('SELECT user_id, role FROM memberships'))).map((r) => [r.user_id, r.role]),
    );
  const audit = async (tenantId: TenantId) => svc.t.db.tenant(tenantId, (tx) => listAuditEvents(tx));

  const setUp = async () => {
    const tenant = await createTestTenant(svc.t.db);
    const [owner, admin, reviewer, editor, viewer] = await Promise.all(
      (['owner', 'admin', 'reviewer', 'editor', 'viewer'] as const).map((r) => member(tenant, r)),
    );
    if (!owner || !admin || !reviewer || !editor || !viewer) throw new Error('members');
    const s = { owner: await steppedUp(owner), admin: await steppedUp(admin), reviewer: await steppedUp(reviewer), editor: await steppedUp(editor) };
    const base = `/v1/tenants/${tenant}/access-reviews`;
    return { tenant, owner, admin, reviewer, editor, viewer, s, base };
  };
  const start = async (base: string, token: string, body: object = { title: 'Q1 review' }): Promise<AccessReview> => {
    const res = await call('POST', base, token, body);
    expect(res.statusCode, res.body).toBe(201);
    return AccessReviewSchema.parse(res.json());
  };

  it('an owner or admin starts a campaign over every membership, due in 90 days by default; one open at a time', async () => {
    const { tenant, s, base, editor } = await setUp();
    expect(errorOf(await call('POST', base, s.editor.accessToken, { title: 'x' }))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await call('POST', base, (await sessionFor(svc.t.db, editor.userId, clock)).accessToken, { title: 'x' }))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await call('POST', base, s.admin.accessToken, { title: '' }))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await call('POST', base, s.admin.accessToken, { title: 'x', dueAt: new Date(clock.getTime() - 1000).toISOString() }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    const review = await start(base, s.admin.accessToken);
    expect(review.review).toMatchObject({ title: 'Q1 review', status: 'open', overdue: false, counts: { memberships: 5, decided: 0 } });
    expect(review.review.dueAt).toBe(new Date(clock.getTime() + ACCESS_REVIEW_POLICY.defaultDue * 1000).toISOString());
    expect(review.items.map((i) => i.role).sort()).toEqual(['admin', 'editor', 'owner', 'reviewer', 'viewer']);
    expect(errorOf(await call('POST', base, s.owner.accessToken, { title: 'again' }))).toEqual({ status: 409, code: 'conflict' });
    expect((await audit(tenant)).at(-1)).toMatchObject({ action: 'access_review.started', details: { memberships: 5 } });
  });

  it('each decision is recorded with its comment and audited; closing applies removals and role changes in one transaction', async () => {
    const { tenant, owner, admin, reviewer, editor, viewer, s, base } = await setUp();
    const { review } = await start(base, s.owner.accessToken);
    const item = (userId: string) => `${base}/${review.id}/items/${userId}`;
    const decide = (token: string, userId: string, body: object) => call('PUT', item(userId), token, body);

    // The reviewer decides; an editor may not; bad bodies change nothing.
    expect(errorOf(await decide(s.editor.accessToken, viewer.userId, { decision: 'keep' }))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await decide(s.reviewer.accessToken, viewer.userId, { decision: 'change_role' }))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await decide(s.reviewer.accessToken, viewer.userId, { decision: 'keep', newRole: 'admin' }))).toEqual({ status: 400, code: 'validation_failed' });
    // Only an owner decides about the owner role.
    expect(errorOf(await decide(s.reviewer.accessToken, owner.userId, { decision: 'remove' }))).toEqual({ status: 403, code: 'forbidden' });
    const res = await decide(s.reviewer.accessToken, viewer.userId, { decision: 'remove', comment: 'left in December' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ decision: 'remove', comment: 'left in December', decidedBy: { userId: reviewer.userId } });
    expect((await decide(s.reviewer.accessToken, editor.userId, { decision: 'change_role', newRole: 'viewer', comment: 'read-only now' })).statusCode).toBe(200);
    for (const u of [admin, reviewer]) expect((await decide(s.owner.accessToken, u.userId, { decision: 'keep' })).statusCode).toBe(200);
    // Nobody decides their own membership.
    expect(errorOf(await decide(s.owner.accessToken, owner.userId, { decision: 'keep' }))).toEqual({ status: 403, code: 'review_self' });
    expect((await decide(s.admin.accessToken, owner.userId, { decision: 'keep' })).statusCode).toBe(200);
    const decided = (await audit(tenant)).filter((e) => e.action === 'access_review.decided');
    expect(decided).toHaveLength(5);
    expect(decided[0]).toMatchObject({ target: `user:${viewer.userId}`, actor: { id: reviewer.userId }, details: { decision: 'remove', commentLength: 16 }, personal: { data: { comment: 'left in December' } } });
    expect(await roles(tenant)).toMatchObject({ [viewer.userId]: 'viewer', [editor.userId]: 'editor' });

    // Closing needs step-up; then it applies everything at once.
    const plain = await sessionFor(svc.t.db, admin.userId, clock);
    expect(errorOf(await call('POST', `${base}/${review.id}/close`, plain.accessToken))).toEqual({ status: 403, code: 'step_up_required' });
    const closed = await call('POST', `${base}/${review.id}/close`, s.admin.accessToken);
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', closedBy: { userId: admin.userId }, counts: { memberships: 5, decided: 5, keep: 3, changeRole: 1, remove: 1 } });
    const after = await roles(tenant);
    expect(after[viewer.userId]).toBeUndefined();
    expect(after[editor.userId]).toBe('viewer');
    expect(Object.keys(after)).toHaveLength(4);
    const events = (await audit(tenant)).slice(-3);
    expect(events.slice(0, 2).map((e) => [e.action, e.target]).sort()).toEqual([
      ['member.removed', `user:${viewer.userId}`],
      ['member.role_changed', `user:${editor.userId}`],
    ]);
    expect(events[2]).toMatchObject({ action: 'access_review.closed', target: `access_review:${review.id}`, details: { kept: 3, roleChanged: 1, removed: 1, skipped: 0 } });
    const detail = AccessReviewSchema.parse((await call('GET', `${base}/${review.id}`, s.reviewer.accessToken)).json());
    expect(Object.fromEntries(detail.items.map((i) => [i.userId, i.outcome]))).toEqual({
      [viewer.userId]: 'removed',
      [editor.userId]: 'role_changed',
      [owner.userId]: 'kept',
      [admin.userId]: 'kept',
      [reviewer.userId]: 'kept',
    });
    // Closed is final.
    expect(errorOf(await decide(s.owner.accessToken, admin.userId, { decision: 'remove' }))).toEqual({ status: 409, code: 'access_review_closed' });
    expect(errorOf(await call('POST', `${base}/${review.id}/close`, s.owner.accessToken))).toEqual({ status: 409, code: 'access_review_closed' });
  });

  it('refuses to close: undecided memberships (409 access_review_incomplete), removals decided by the closer (403 approval_self); nothing changes', async () => {
    const { tenant, owner, admin, reviewer, editor, viewer, s, base } = await setUp();
    const { review } = await start(base, s.owner.accessToken);
    const decide = (token: string, userId: string, body: object) => call('PUT', `${base}/${review.id}/items/${userId}`, token, body);
    const close = (token: string) => call('POST', `${base}/${review.id}/close`, token);
    for (const u of [admin, reviewer, editor]) await decide(s.owner.accessToken, u.userId, { decision: 'keep' });
    expect(errorOf(await close(s.owner.accessToken))).toEqual({ status: 409, code: 'access_review_incomplete' });
    await decide(s.owner.accessToken, viewer.userId, { decision: 'remove' });
    await decide(s.admin.accessToken, owner.userId, { decision: 'keep' });
    const before = { roles: await roles(tenant), events: (await audit(tenant)).length };
    expect(errorOf(await close(s.owner.accessToken))).toEqual({ status: 403, code: 'approval_self' });
    expect(await roles(tenant)).toEqual(before.roles);
    expect((await audit(tenant)).length).toBe(before.events);
    // Another admin closes it.
    expect((await close(s.admin.accessToken)).statusCode).toBe(200);
    expect(Object.keys(await roles(tenant))).toHaveLength(4);
  });

  it('lists campaigns newest first and flags an open one past its due date as overdue', async () => {
    const { s, base, reviewer } = await setUp();
    const { review } = await start(base, s.owner.accessToken, { title: 'Short', dueAt: new Date(clock.getTime() + DAY).toISOString() });
    const list = async () => {
      const res = await call('GET', base, (await sessionFor(svc.t.db, reviewer.userId, clock)).accessToken);
      expect(res.statusCode, res.body).toBe(200);
      return AccessReviewListSchema.parse(res.json()).items;
    };
    expect((await list()).map((r) => [r.id, r.overdue])).toEqual([[review.id, false]]);
    clock = new Date(clock.getTime() + DAY);
    expect((await list()).map((r) => [r.id, r.overdue])).toEqual([[review.id, true]]);
    expect(errorOf(await call('GET', base, (await steppedUp((await setUp()).editor)).accessToken))).toEqual({ status: 403, code: 'forbidden' });
  });
});
