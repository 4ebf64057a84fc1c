import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IpcOutput } from '../../../shared/ipc/contract';
import type { TenantRole } from '../../../shared/identity/roles';
import type { TenantId } from '../../../shared/tenants/tenant';
import type { TestUser } from '../../../service/testing/identity-fixtures';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import { signIn, startConsole } from '../testing/console-under-test.fixture';

/** The sessions channels, driven through the console core against the real service over HTTPS. */
describe('sessions channels (core, against the real service)', () => {
  let service: RealService;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    service = await startRealService();
  });
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });
  afterAll(() => service.close());

  /** A console signed in as `user`. */
  const consoleFor = async (user: TestUser) => {
    const { call } = await startConsole(service, cleanup);
    const sessionId = (await signIn(service, { call }, user)).me.session.id;
    // The sync a sign-in starts opens the person's offline copy first: let it finish, so that the
    // test's own call is the first request after a revocation (and the one told session_revoked).
    await call('incidents.sync');
    const stepUp = async () => expect(await call('auth.stepUp', { code: await service.code(user.secret) })).toMatchObject({ ok: true });
    return { call, sessionId, stepUp };
  };
  const setUp = async (...roles: TenantRole[]) => {
    const tenantId: TenantId = await service.tenant();
    const users = await Promise.all(roles.map((role) => service.user({ memberships: [{ tenantId, role }] })));
    return { tenantId, users };
  };
  const listed = (result: unknown) => (result as { value: IpcOutput<'sessions.list'> }).value.items;

  it("lists the tenant's sessions with the console's own marked, filters by user, refuses malformed input", async () => {
    const { tenantId, users } = await setUp('admin', 'editor');
    const [admin, editor] = users as [TestUser, TestUser];
    const a = await consoleFor(admin);
    const e = await consoleFor(editor);
    const all = listed(await a.call('sessions.list', { tenantId }));
    expect(all.map((s) => [s.id, s.current]).sort()).toEqual(
      [
        [a.sessionId, true],
        [e.sessionId, false],
      ].sort(),
    );
    expect(listed(await a.call('sessions.list', { tenantId, userId: editor.userId })).map((s) => s.id)).toEqual([e.sessionId]);
    // The console names itself, so an admin can tell its sessions apart from others.
    expect(all.find((s) => s.current)?.userAgent).toBe(`Attest-Console/dev (browser; ${process.platform})`);
    expect(listed(await a.call('sessions.list', { tenantId, flagged: true }))).toEqual([]);
    await expect(a.call('sessions.list', { tenantId, flagged: 'yes' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await expect(e.call('sessions.list', { tenantId })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('pages the list through the console: newest sign-in first, a cursor per page, bounds and foreign cursors refused', async () => {
    const { tenantId, users } = await setUp('admin', 'editor', 'viewer');
    const [admin, editor, viewer] = users as [TestUser, TestUser, TestUser];
    const e = await consoleFor(editor);
    const v = await consoleFor(viewer);
    const a = await consoleFor(admin);
    const first = (await a.call('sessions.list', { tenantId, limit: 2 })) as { value: IpcOutput<'sessions.list'> };
    expect(first.value.items.map((s) => s.id)).toEqual([a.sessionId, v.sessionId]);
    expect(first.value.nextCursor).toEqual(expect.any(String));
    const second = (await a.call('sessions.list', { tenantId, limit: 2, cursor: first.value.nextCursor })) as { value: IpcOutput<'sessions.list'> };
    expect(second.value).toMatchObject({ items: [expect.objectContaining({ id: e.sessionId })], nextCursor: null });
    await expect(a.call('sessions.list', { tenantId, limit: 0 })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await expect(a.call('sessions.list', { tenantId, limit: 1001 })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await expect(a.call('sessions.list', { tenantId, cursor: 'not-a-cursor' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_cursor' } });
    await expect(a.call('sessions.list', { tenantId, cursor: 'x'.repeat(121) })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const other = await setUp('admin');
    const b = await consoleFor(other.users[0] as TestUser);
    await expect(b.call('sessions.list', { tenantId: other.tenantId, limit: 2, cursor: first.value.nextCursor })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_cursor' },
    });
  });

  it("revokes a member's session after step-up; the member's console is signed out at its next call", async () => {
    const { tenantId, users } = await setUp('owner', 'editor');
    const [owner, editor] = users as [TestUser, TestUser];
    const a = await consoleFor(owner);
    const e = await consoleFor(editor);
    const input = { tenantId, sessionId: e.sessionId };
    await expect(a.call('sessions.revoke', input)).resolves.toMatchObject({ ok: false, error: { code: 'step_up_required' } });
    await a.stepUp();
    await expect(a.call('sessions.revoke', input)).resolves.toEqual({ ok: true, value: { revoked: 1 } });
    await expect(e.call('tenants.list')).resolves.toMatchObject({ ok: false, error: { code: 'session_revoked' } });
    await expect(e.call('auth.state')).resolves.toMatchObject({ ok: true, value: { step: 'signed_out', code: 'session_revoked' } });
    await expect(a.call('sessions.revoke', input)).resolves.toMatchObject({ ok: false, error: { code: 'session_already_revoked' } });
  });

  it("revokes all of a member's sessions, then (once approved by another) all but the console's own", async () => {
    const { tenantId, users } = await setUp('admin', 'editor', 'viewer');
    const [admin, editor, viewer] = users as [TestUser, TestUser, TestUser];
    const a = await consoleFor(admin);
    const e1 = await consoleFor(editor);
    const e2 = await consoleFor(editor);
    const v = await consoleFor(viewer);
    await a.stepUp();
    await expect(a.call('sessions.revokeUser', { tenantId, userId: editor.userId })).resolves.toEqual({ ok: true, value: { revoked: 2 } });
    for (const c of [e1, e2]) await expect(c.call('tenants.list')).resolves.toMatchObject({ ok: false, error: { code: 'session_revoked' } });
    await expect(v.call('tenants.list')).resolves.toMatchObject({ ok: true });

    // Tenant-wide: a request, which runs when another person (an owner here) approves it (approvals-channels.test.ts).
    const requested = (await a.call('sessions.revokeAllButMine', { tenantId, reason: 'lost laptop' })) as { ok: true; value: IpcOutput<'approvals.list'>[number] };
    expect(requested).toMatchObject({ ok: true, value: { status: 'pending', subject: { action: 'sessions.revoke_tenant', keepSessionId: a.sessionId } } });
    await expect(v.call('tenants.list')).resolves.toMatchObject({ ok: true });
    await expect(a.call('sessions.revokeAllButMine', { tenantId, reason: '' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const owner = await consoleFor(await service.user({ memberships: [{ tenantId, role: 'owner' }] }));
    await owner.stepUp();
    await expect(owner.call('approvals.approve', { tenantId, approvalId: requested.value.id, comment: 'yes' })).resolves.toMatchObject({
      ok: true,
      value: { status: 'approved', result: { revoked: 1 } },
    });
    await expect(v.call('tenants.list')).resolves.toMatchObject({ ok: false, error: { code: 'session_revoked' } });
    // The requester's and the approver's consoles stay signed in.
    expect(listed(await a.call('sessions.list', { tenantId })).map((s) => s.id).sort()).toEqual([a.sessionId, owner.sessionId].sort());
  });

  it('reviews a flagged sign-in through the core: step-up first, the service’s refusal codes passed through, malformed input refused', async () => {
    const { tenantId, users } = await setUp('owner', 'editor');
    const [owner, editor] = users as [TestUser, TestUser];
    const a = await consoleFor(owner);
    const e = await consoleFor(editor);
    const input = { tenantId, sessionId: e.sessionId, outcome: 'expected' as const };
    await expect(a.call('sessions.reviewFlags', input)).resolves.toMatchObject({ ok: false, error: { code: 'step_up_required' } });
    await a.stepUp();
    // Both consoles signed in from the same address and device: nothing unusual to review.
    await expect(a.call('sessions.reviewFlags', input)).resolves.toMatchObject({ ok: false, error: { code: 'session_not_flagged' } });
    await expect(a.call('sessions.reviewFlags', { ...input, outcome: 'fine' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await expect(a.call('sessions.reviewFlags', { ...input, note: 'a\u202eb' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await expect(e.call('sessions.reviewFlags', { ...input, sessionId: a.sessionId })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it("ends the console's own session without step-up, signing it out", async () => {
    const { tenantId, users } = await setUp('viewer');
    const v = await consoleFor(users[0] as TestUser);
    await expect(v.call('sessions.revoke', { tenantId, sessionId: v.sessionId })).resolves.toEqual({ ok: true, value: { revoked: 1 } });
    await expect(v.call('tenants.list')).resolves.toMatchObject({ ok: false });
    await expect(v.call('auth.state')).resolves.toMatchObject({ ok: true, value: { step: 'signed_out' } });
  });
});
