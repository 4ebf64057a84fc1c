import { describe, expect, it } from 'vitest';
import { AccessReviewSchema, KeepUndecidedResultSchema, type AccessReview } from '../../shared/access-reviews/schemas';
import type { TenantRole } from '../../shared/identity/roles';
import type { TenantId } from '../../shared/tenants/tenant';
import { listAuditEvents } from '../audit/audit-log';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

describe.each(TEST_ENGINES)('an access review’s “keep all undecided” and account state on %s', (kind) => {
  const clock = new Date('2026-01-05T09:00:00Z');
  const svc = inProcessService(kind, { now: () => clock });
  const { keys, steppedUp } = svc;
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, body?: object) => svc.call(method, url, { token, ...(body ? { body } : {}) });
  const member = (tenantId: TenantId, role: TenantRole) => createTestUser(svc.t.db, keys, svc.hasher, { memberships: [{ tenantId, role }] });
  const decided = async (tenantId: TenantId) => (await svc.t.db.tenant(tenantId, (tx) => listAuditEvents(tx))).filter((e) => e.action === 'access_review.decided');

  const setUp = async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await member(tenant, 'owner');
    const reviewer = await member(tenant, 'reviewer');
    const editor = await member(tenant, 'editor');
    const viewer = await member(tenant, 'viewer');
    const s = { owner: await steppedUp(owner), reviewer: await steppedUp(reviewer), editor: await steppedUp(editor) };
    const base = `/v1/tenants/${tenant}/access-reviews`;
    const res = await call('POST', base, s.owner.accessToken, { title: 'Q1' });
    expect(res.statusCode, res.body).toBe(201);
    const review: AccessReview = AccessReviewSchema.parse(res.json());
    return { tenant, owner, reviewer, editor, viewer, s, base, review, url: `${base}/${review.review.id}` };
  };

  it('shows each membership’s last sign-in and MFA state, live, beside its decision', async () => {
    const { review, owner, viewer, url, s } = await setUp();
    const ownerItem = review.items.find((i) => i.userId === owner.userId)!;
    // Signed in to get the session the test uses: a time; enrolled by the fixture.
    expect(ownerItem.lastSignInAt === null || !Number.isNaN(Date.parse(ownerItem.lastSignInAt))).toBe(true);
    expect(typeof ownerItem.mfaEnrolled).toBe('boolean');
    await svc.t.engine.query('UPDATE users SET last_sign_in_at = $2, mfa_enrolled_at = NULL WHERE id = $1', [viewer.userId, '2025-12-01T10:00:00.000Z']);
    const again = AccessReviewSchema.parse((await call('GET', url, s.reviewer.accessToken)).json());
    expect(again.items.find((i) => i.userId === viewer.userId)).toMatchObject({ lastSignInAt: '2025-12-01T10:00:00.000Z', mfaEnrolled: false });
    // The decision's answer carries it too.
    const res = await call('PUT', `${url}/items/${viewer.userId}`, s.reviewer.accessToken, { decision: 'keep' });
    expect(res.json()).toMatchObject({ decision: 'keep', lastSignInAt: '2025-12-01T10:00:00.000Z', mfaEnrolled: false });
  });

  it('keeps every undecided membership but the caller’s own in one call, audits each as its own decision, and leaves decided ones alone', async () => {
    const { tenant, reviewer, editor, viewer, owner, s, url } = await setUp();
    expect((await call('PUT', `${url}/items/${editor.userId}`, s.reviewer.accessToken, { decision: 'remove', comment: 'left' })).statusCode).toBe(200);
    const res = await call('POST', `${url}/keep-undecided`, s.reviewer.accessToken, { comment: 'still needed' });
    expect(res.statusCode, res.body).toBe(200);
    const result = KeepUndecidedResultSchema.parse(res.json());
    expect(result).toMatchObject({ kept: 2, left: 1 });
    const byUser = new Map(result.review.items.map((i) => [i.userId, i]));
    expect(byUser.get(owner.userId)).toMatchObject({ decision: 'keep', comment: 'still needed', decidedBy: { userId: reviewer.userId } });
    expect(byUser.get(viewer.userId)).toMatchObject({ decision: 'keep' });
    expect(byUser.get(editor.userId)).toMatchObject({ decision: 'remove', comment: 'left' });
    // One's own membership stays for someone else to decide.
    expect(byUser.get(reviewer.userId)).toMatchObject({ decision: null });
    expect(result.review.review.counts).toMatchObject({ decided: 3, keep: 2, remove: 1 });
    const events = (await decided(tenant)).filter((e) => e.details.bulk === true);
    expect(events.map((e) => e.target).sort()).toEqual([`user:${owner.userId}`, `user:${viewer.userId}`].sort());
    expect(events.every((e) => e.actor.id === reviewer.userId && e.details.decision === 'keep')).toBe(true);
    // Again: nothing left but one's own; nothing new audited.
    expect(KeepUndecidedResultSchema.parse((await call('POST', `${url}/keep-undecided`, s.reviewer.accessToken, {})).json())).toMatchObject({ kept: 0, left: 1 });
    expect((await decided(tenant)).filter((e) => e.details.bulk === true)).toHaveLength(2);
  });

  it('refuses an editor (403 forbidden), another tenant’s owner (403), a closed campaign (409 access_review_closed), a bad body (400); nothing is decided', async () => {
    const { tenant, s, url } = await setUp();
    expect(errorOf(await call('POST', `${url}/keep-undecided`, s.editor.accessToken, {}))).toEqual({ status: 403, code: 'forbidden' });
    const outsider = await steppedUp(await member(await createTestTenant(svc.t.db), 'owner'));
    expect(errorOf(await call('POST', `${url}/keep-undecided`, outsider.accessToken, {}))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await call('POST', `${url}/keep-undecided`, s.reviewer.accessToken, { comment: 'x', extra: 1 }))).toEqual({ status: 400, code: 'validation_failed' });
    expect(await decided(tenant)).toHaveLength(0);
    // Decide everything (the reviewer keeps all; the owner keeps the reviewer), close, then try again.
    await call('POST', `${url}/keep-undecided`, s.reviewer.accessToken, {});
    await call('POST', `${url}/keep-undecided`, s.owner.accessToken, {});
    const closed = await call('POST', `${url}/close`, s.owner.accessToken);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(errorOf(await call('POST', `${url}/keep-undecided`, s.reviewer.accessToken, {}))).toEqual({ status: 409, code: 'access_review_closed' });
  });

  it('two reviewers keeping all at once: every membership is decided once, by one of them, and audited once', async () => {
    const { tenant, s, url, owner } = await setUp();
    const admin = await steppedUp(await member(tenant, 'admin'));
    // The admin joined after the campaign started: not one of its memberships.
    const [a, b] = await Promise.all([call('POST', `${url}/keep-undecided`, s.reviewer.accessToken, {}), call('POST', `${url}/keep-undecided`, admin.accessToken, {})]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const results = [a, b].map((r) => KeepUndecidedResultSchema.parse(r.json()));
    // The campaign's four memberships, the reviewer's own decided by the admin: each kept exactly once across both calls.
    expect(results[0]!.kept + results[1]!.kept).toBe(4);
    const events = (await decided(tenant)).filter((e) => e.details.bulk === true);
    expect(new Set(events.map((e) => e.target)).size).toBe(events.length);
    expect(events.some((e) => e.target === `user:${owner.userId}`)).toBe(true);
  });
});
