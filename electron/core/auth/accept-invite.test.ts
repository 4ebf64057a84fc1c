import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthState } from '../../../shared/ipc/contract';
import type { TenantId } from '../../../shared/tenants/tenant';
import type { TestUser } from '../../../service/testing/identity-fixtures';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import { ok, signIn, startConsole, type ConsoleUnderTest } from '../testing/console-under-test.fixture';

const PASSWORD = 'a long walk by the harbour';

describe('accepting an invitation in the console (core, against the real service)', () => {
  let service: RealService;
  let tenantId: TenantId;
  let owner: ConsoleUnderTest;
  const cleanup: Array<() => Promise<void>> = [];
  let n = 0;

  beforeAll(async () => {
    service = await startRealService();
    tenantId = await service.tenant();
    const ownerUser = await service.user({ memberships: [{ tenantId, role: 'owner' }] });
    owner = await startConsole(service, cleanup);
    await signIn(service, owner, ownerUser);
  }, 60_000);
  afterEach(async () => {
    // The owner's console stays for every test; the others are closed.
    while (cleanup.length > 1) await cleanup.pop()?.();
  });
  afterAll(async () => {
    for (const close of cleanup.reverse()) await close();
    await service.close();
  });

  const invite = async (email = `new-${++n}-${Date.now()}@example.com`) => {
    const created = ok<'members.invite'>(await owner.call('members.invite', { tenantId, email, role: 'editor' }));
    return { email, token: created.token };
  };
  const acceptRequests = () => service.requests.filter((r) => r.path === '/v1/invites/accept');
  const memberStatus = async (email: string) => {
    const page = ok<'members.list'>(await owner.call('members.list', { tenantId }));
    return page.items.find((m) => m.email === email)?.status;
  };

  it('a new account sets its password with no session sent, then signs in and enrols like anyone else', async () => {
    const { email, token } = await invite();
    const c = await startConsole(service, cleanup);
    service.requests.length = 0;
    const next = ok<'auth.acceptInvite'>(await c.call('auth.acceptInvite', { token, email, password: PASSWORD, displayName: 'Ada Lind' }));
    expect(next).toMatchObject({ step: 'enrol', email });
    expect(acceptRequests()).toEqual([{ method: 'POST', path: '/v1/invites/accept', authorization: undefined }]);
    const { secret } = ok<'auth.enrolStart'>(await c.call('auth.enrolStart'));
    const done = ok<'auth.enrolComplete'>(await c.call('auth.enrolComplete', { code: await service.code(secret) }));
    expect(done.state).toMatchObject({ step: 'signed_in', me: { user: { email, displayName: 'Ada Lind' }, memberships: [{ tenantId, role: 'editor' }] } });
    expect(await memberStatus(email)).toBe('active');
    // Used once: the same token on another console is refused, and signs nobody in.
    const again = await startConsole(service, cleanup);
    expect(await again.call('auth.acceptInvite', { token, email, password: PASSWORD })).toMatchObject({ ok: false, error: { code: 'invite_used' } });
    expect(ok<'auth.state'>(await again.call('auth.state'))).toEqual({ step: 'signed_out' });
  });

  it('a password against the policy is refused and the invitation stays usable', async () => {
    const { email, token } = await invite();
    const c = await startConsole(service, cleanup);
    expect(await c.call('auth.acceptInvite', { token, email, password: 'short' })).toMatchObject({ ok: false, error: { code: 'password_policy' } });
    expect(await memberStatus(email)).toBe('invited');
    expect(ok<'auth.acceptInvite'>(await c.call('auth.acceptInvite', { token, email, password: PASSWORD }))).toMatchObject({ step: 'enrol' });
  });

  it('a mistyped email after accepting says the invitation is used and to sign in with the invited address', async () => {
    const { email, token } = await invite();
    const c = await startConsole(service, cleanup);
    expect(await c.call('auth.acceptInvite', { token, email: `typo-${email}`, password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'invite_accepted_sign_in_failed' },
    });
    expect(await memberStatus(email)).toBe('active');
    expect(ok<'auth.login'>(await c.call('auth.login', { email, password: PASSWORD }))).toMatchObject({ step: 'enrol' });
  });

  it('an existing account cannot accept from the sign-in screen; signed in as itself it accepts with its session, and its memberships update', async () => {
    const existing: TestUser = await service.user();
    const { token } = await invite(existing.email);
    const c = await startConsole(service, cleanup);
    expect(await c.call('auth.acceptInvite', { token, email: existing.email, password: existing.password })).toMatchObject({
      ok: false,
      error: { code: 'auth_required' },
    });
    expect(await memberStatus(existing.email)).toBe('invited');
    const events: AuthState[] = [];
    c.core.subscribe((event, payload) => event === 'auth.changed' && events.push(payload as AuthState));
    await signIn(service, c, existing);
    expect(await c.call('auth.acceptInvite', { token, email: existing.email, password: existing.password })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    service.requests.length = 0;
    expect(ok<'invites.accept'>(await c.call('invites.accept', { token }))).toEqual({ tenantId, userId: existing.userId, role: 'editor' });
    expect(acceptRequests()[0]?.authorization).toMatch(/^Bearer atst_at_/);
    expect(events.at(-1)).toMatchObject({ step: 'signed_in', me: { memberships: [{ tenantId, role: 'editor' }] } });
    expect(await memberStatus(existing.email)).toBe('active');
  });

  it("someone signed in cannot accept another person's invitation with their session", async () => {
    const other = await service.user();
    const { email, token } = await invite();
    const c = await startConsole(service, cleanup);
    await signIn(service, c, other);
    expect(await c.call('invites.accept', { token })).toMatchObject({ ok: false, error: { code: 'invite_other_account' } });
    expect(await memberStatus(email)).toBe('invited');
  });

  it("at a shared desk, a newcomer's acceptance never carries the session the keychain still holds for someone else", async () => {
    const earlier = await service.user();
    const first = await startConsole(service, cleanup);
    await signIn(service, first, earlier);
    await first.close();
    // The same desk restarts while the service cannot be reached: the earlier person's session stays in the keychain, not resumed.
    await first.link.cut();
    const desk = await startConsole(service, cleanup, { vault: first.vault, dataDir: first.dataDir, link: first.link });
    expect(ok<'auth.state'>(await desk.call('auth.state'))).toMatchObject({ step: 'signed_out', code: 'service_unreachable' });
    expect(await first.vault.get('refresh-token')).not.toBeNull();
    await first.link.restore();
    const { email, token } = await invite();
    service.requests.length = 0;
    expect(ok<'auth.acceptInvite'>(await desk.call('auth.acceptInvite', { token, email, password: PASSWORD }))).toMatchObject({ step: 'enrol', email });
    expect(acceptRequests()).toEqual([{ method: 'POST', path: '/v1/invites/accept', authorization: undefined }]);
    expect(service.requests.some((r) => r.path === '/v1/auth/refresh')).toBe(false);
    // Nor does the account menu's path go out for the session nobody resumed.
    const other = await invite(earlier.email);
    await desk.close();
    await first.link.cut();
    const again = await startConsole(service, cleanup, { vault: first.vault, dataDir: first.dataDir, link: first.link });
    expect(ok<'auth.state'>(await again.call('auth.state'))).toMatchObject({ step: 'signed_out', code: 'service_unreachable' });
    await first.link.restore();
    service.requests.length = 0;
    expect(await again.call('invites.accept', { token: other.token })).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect(acceptRequests()).toEqual([]);
  });

  it('refuses what is not an invite token before anything is sent', async () => {
    const c = await startConsole(service, cleanup);
    service.requests.length = 0;
    expect(await c.call('auth.acceptInvite', { token: 'atst_at_notaninvite', email: 'a@example.com', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await c.call('invites.accept', { token: '' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(acceptRequests()).toEqual([]);
  });
});
