import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantId } from '../../../shared/tenants/tenant';
import { createFirstOperator } from '../../../service/operators/first-operator';
import { sessionFor, type TestUser } from '../../../service/testing/identity-fixtures';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import { createServiceClient, type ServiceClient } from '../client/service-client';
import { CoreError } from '../core-error';
import { pullDirectory } from './directory-pull';
import { createReplica } from './replica-database';

/** The directory pull against the real service over HTTPS, signed in with a session made in its database. */
describe('directory pull (against the real service)', () => {
  let service: RealService;
  const clients: ServiceClient[] = [];

  beforeAll(async () => {
    service = await startRealService();
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await service.close();
  });

  const clientWith = (accessToken: string) => {
    const client = createServiceClient({
      serviceUrl: service.url,
      fingerprint: service.fingerprint,
      credentials: {
        accessToken: async () => accessToken,
        renew: async () => {
          throw new CoreError('not_signed_in', 'test session');
        },
      },
    });
    clients.push(client);
    return client;
  };
  const clientFor = async (user: TestUser) => {
    const { accessToken, session } = await sessionFor(service.db, user.userId, service.now());
    return { client: clientWith(accessToken), sessionId: session.id };
  };
  const setRole = (tenantId: TenantId, userId: string, role: string) =>
    service.db.platform((tx) => tx.query('UPDATE memberships SET role = $3 WHERE tenant_id = $1 AND user_id = $2', [tenantId, userId, role]));

  it("pages through every member of each tenant the person may read, with its sessions, and skips a tenant that answers 403", async () => {
    const [mine, readOnly, foreign] = [await service.tenant(), await service.tenant(), await service.tenant()];
    const admin = await service.user({ memberships: [{ tenantId: mine, role: 'admin' }, { tenantId: readOnly, role: 'viewer' }] });
    const others: TestUser[] = [];
    for (let i = 0; i < 6; i++) others.push(await service.user({ memberships: [{ tenantId: mine, role: i % 2 ? 'viewer' : 'editor' }], mfa: i !== 3 }));
    await service.user({ memberships: [{ tenantId: readOnly, role: 'owner' }, { tenantId: foreign, role: 'owner' }] });
    await sessionFor(service.db, others[0]!.userId, service.now());
    const { client, sessionId } = await clientFor(admin);

    const replica = await createReplica();
    service.requests.length = 0;
    expect(await pullDirectory({ client, into: replica, now: () => new Date('2026-11-23T09:00:00Z'), memberPage: 2 })).toBe(true);

    const listed = replica.memberList(mine, { limit: 500 })!;
    expect(listed.items.map((m) => m.userId).sort()).toEqual([admin.userId, ...others.map((o) => o.userId)].sort());
    expect(listed).toMatchObject({ hasMore: false, counts: { enrolled: 6, notEnrolled: 1, invited: 0 }, fetchedAt: '2026-11-23T09:00:00.000Z' });
    expect(replica.memberList(mine, { mfa: 'not_enrolled' })!.items.map((m) => m.userId)).toEqual([others[3]!.userId]);
    // 7 members, pages of 2: four pages, each asked once.
    expect(service.requests.filter((r) => r.path.startsWith(`/v1/tenants/${mine}/members`)).map((r) => new URL(r.path, service.url).searchParams.get('offset'))).toEqual([
      '0',
      '2',
      '4',
      '6',
    ]);
    const sessions = replica.sessionList(mine, {}, service.now())!;
    expect(sessions.items.map((s) => s.id)).toContain(sessionId);
    expect(sessions.items.filter((s) => s.userId === others[0]!.userId)).toHaveLength(1);
    expect(sessions.items.find((s) => s.id === sessionId)?.current).toBe(true);
    // A viewer may read neither list there: both were skipped; a tenant the person is not in was never asked.
    expect([replica.memberList(readOnly, {}), replica.sessionList(readOnly, {}, service.now())]).toEqual([null, null]);
    expect(service.requests.filter((r) => r.path.includes(foreign))).toEqual([]);
    expect(replica.tenants().map((t) => t.id)).toEqual(expect.arrayContaining([mine, readOnly]));
    expect(replica.directoryUser()).toBe(admin.userId);

    // The same directory again: nothing changed.
    expect(await pullDirectory({ client, into: replica, now: () => new Date('2026-11-23T10:00:00Z') })).toBe(false);
    expect(replica.memberList(mine, {})!.fetchedAt).toBe('2026-11-23T10:00:00.000Z');
    // Syncs follow every incident edit: within five minutes the directory is not fetched again.
    service.requests.length = 0;
    expect(await pullDirectory({ client, into: replica, now: () => new Date('2026-11-23T10:04:59Z') })).toBe(false);
    expect(service.requests.map((r) => r.path)).toEqual(['/v1/me']);
    expect(replica.memberList(mine, {})!.fetchedAt).toBe('2026-11-23T10:00:00.000Z');

    // Demoted to viewer: the next pull drops the copies the person may no longer read.
    await setRole(mine, admin.userId, 'viewer');
    expect(await pullDirectory({ client, into: replica, now: () => new Date('2026-11-23T11:00:00Z') })).toBe(true);
    expect([replica.memberList(mine, {}), replica.sessionList(mine, {}, service.now())]).toEqual([null, null]);
    replica.close();
  });

  it('keeps a list cut at its bound and says there is more', async () => {
    const tenantId = await service.tenant();
    const owner = await service.user({ memberships: [{ tenantId, role: 'owner' }] });
    for (let i = 0; i < 4; i++) await service.user({ memberships: [{ tenantId, role: 'viewer' }] });
    const { client } = await clientFor(owner);
    const replica = await createReplica();
    await pullDirectory({ client, into: replica, now: () => new Date(), memberPage: 2, maxMemberPages: 2 });
    const listed = replica.memberList(tenantId, {})!;
    expect([listed.items.length, listed.hasMore]).toEqual([4, true]);
    replica.close();
  });

  it("pulls no directory for an operator's token, which is no person (403 on /v1/me), and fails no sync for it", async () => {
    const { token } = await createFirstOperator(service.db, { name: 'Ops', tokenLabel: 'sync', actor: { type: 'system', id: 'test' } });
    const replica = await createReplica();
    expect(await pullDirectory({ client: clientWith(token.token), into: replica, now: () => new Date() })).toBe(false);
    expect([replica.directoryUser(), replica.tenants()]).toEqual([null, []]);
    replica.close();
  });
});
