import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantId } from '../../../shared/tenants/tenant';
import { createFirstOperator } from '../../../service/operators/first-operator';
import { sessionFor, type TestUser } from '../../../service/testing/identity-fixtures';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import { createServiceClient, type ServiceClient } from '../client/service-client';
import { CoreError } from '../core-error';
import { ServiceError } from '../client/service-error';
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

  it('keeps a list cut at its bound and says so, with why, in the copy', async () => {
    const tenantId = await service.tenant();
    const owner = await service.user({ memberships: [{ tenantId, role: 'owner' }] });
    for (let i = 0; i < 4; i++) await sessionFor(service.db, (await service.user({ memberships: [{ tenantId, role: 'viewer' }] })).userId, service.now());
    const { client } = await clientFor(owner);
    const replica = await createReplica();
    service.requests.length = 0;
    await pullDirectory({ client, into: replica, now: () => new Date(), memberPage: 2, sessionPage: 2, maxListRows: 4 });
    const listed = replica.memberList(tenantId, {})!;
    expect([listed.items.length, listed.hasMore, listed.cut]).toEqual([4, true, { reason: 'row_bound', kept: 4, bound: 4 }]);
    // Five sessions, bound four: two pages of two read, then the copy stops and says so.
    const sessions = replica.sessionList(tenantId, {}, new Date())!;
    expect([sessions.items.length, sessions.cut]).toEqual([4, { reason: 'row_bound', kept: 4, bound: 4 }]);
    expect(service.requests.filter((r) => r.path.startsWith(`/v1/tenants/${tenantId}/sessions`))).toHaveLength(2);
    // Under the bound the same lists are whole again, and the copy says that too.
    await pullDirectory({ client, into: replica, now: () => new Date(Date.now() + 3_600_000), memberPage: 2, sessionPage: 2 });
    expect([replica.memberList(tenantId, {})!.cut, replica.sessionList(tenantId, {}, new Date())!.cut]).toEqual([null, null]);
    expect(replica.sessionList(tenantId, {}, new Date())!.items).toHaveLength(5);
    replica.close();
  });

  it('pages sessions to the end of the cursor, each page asked once, the list replaced whole', async () => {
    const tenantId = await service.tenant();
    const owner = await service.user({ memberships: [{ tenantId, role: 'owner' }] });
    const editor = await service.user({ memberships: [{ tenantId, role: 'editor' }] });
    const started: string[] = [];
    for (let i = 0; i < 6; i++) started.push((await sessionFor(service.db, editor.userId, service.now())).session.id);
    const { client, sessionId } = await clientFor(owner);
    const replica = await createReplica();
    service.requests.length = 0;
    await pullDirectory({ client, into: replica, now: () => new Date(), sessionPage: 3 });
    const asked = service.requests.filter((r) => r.path.startsWith(`/v1/tenants/${tenantId}/sessions`)).map((r) => new URL(r.path, service.url).searchParams);
    // Seven sessions in pages of three: three pages, the first without a cursor, each later one with the previous page's.
    expect(asked.map((q) => [q.get('limit'), q.has('cursor')])).toEqual([
      ['3', false],
      ['3', true],
      ['3', true],
    ]);
    expect(new Set(asked.map((q) => q.get('cursor'))).size).toBe(3);
    const stored = replica.sessionList(tenantId, {}, new Date())!;
    expect(stored.items.map((s) => s.id).sort()).toEqual([...started, sessionId].sort());
    expect(stored.cut).toBeNull();
    replica.close();
  });

  it("refuses a cursor of tenant A on tenant B (400 invalid_cursor, nothing of A in the answer), and a cursor replayed after revocations pages on without repeats or revoked sessions", async () => {
    const [tenantA, tenantB] = [await service.tenant(), await service.tenant()];
    const adminA = await service.user({ memberships: [{ tenantId: tenantA, role: 'admin' }] });
    const adminB = await service.user({ memberships: [{ tenantId: tenantB, role: 'admin' }] });
    const editorA = await service.user({ memberships: [{ tenantId: tenantA, role: 'editor' }] });
    for (let i = 0; i < 5; i++) await sessionFor(service.db, editorA.userId, service.now());
    const a = await clientFor(adminA);
    const b = await clientFor(adminB);
    const first = await a.client.call('listSessions', { params: { tenantId: tenantA }, query: { limit: 2 } });
    const cursorA = first.nextCursor!;
    expect(cursorA).toBeTruthy();

    const refused = await b.client.call('listSessions', { params: { tenantId: tenantB }, query: { limit: 2, cursor: cursorA } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServiceError);
    expect([(refused as ServiceError).status, (refused as ServiceError).code]).toEqual([400, 'invalid_cursor']);
    const said = JSON.stringify({ message: (refused as ServiceError).message, details: (refused as ServiceError).details });
    for (const secret of [tenantA, editorA.userId, ...first.items.map((s) => s.id)]) expect(said).not.toContain(secret);
    // B's pull holds B's sessions only.
    const replicaB = await createReplica();
    await pullDirectory({ client: b.client, into: replicaB, now: () => new Date(), sessionPage: 2 });
    expect(replicaB.sessionList(tenantB, {}, new Date())!.items.map((s) => s.id)).toEqual([b.sessionId]);
    replicaB.close();

    // The sessions the cursor points past end (its own position included), and one further on: replayed, it pages on.
    const everyId = (await a.client.call('listSessions', { params: { tenantId: tenantA }, query: {} })).items.map((s) => s.id);
    const rest = everyId.filter((id) => !first.items.some((s) => s.id === id));
    const laterRevoked = rest.find((id) => id !== a.sessionId)!;
    // (The caller's own session stays live, wherever it sorts: the client must go on.)
    const revoked = [...first.items.map((s) => s.id).filter((id) => id !== a.sessionId), laterRevoked];
    await service.db.platform((tx) => tx.query('UPDATE sessions SET revoked_at = now() WHERE id = ANY($1::uuid[])', [revoked]));
    const replayed: string[] = [];
    let cursor: string | null | undefined = cursorA;
    while (cursor) {
      const got: { items: { id: string }[]; nextCursor?: string | null } = await a.client.call('listSessions', { params: { tenantId: tenantA }, query: { limit: 2, cursor } });
      replayed.push(...got.items.map((s) => s.id));
      cursor = got.nextCursor;
    }
    expect(replayed.sort()).toEqual(rest.filter((id) => id !== laterRevoked).sort());
    expect(new Set(replayed).size).toBe(replayed.length);
    // And the copy a pull keeps has no revoked session.
    const replicaA = await createReplica();
    await pullDirectory({ client: a.client, into: replicaA, now: () => new Date(), sessionPage: 2 });
    const kept = replicaA.sessionList(tenantA, {}, new Date())!.items.map((s) => s.id);
    expect(kept.sort()).toEqual(everyId.filter((id) => !revoked.includes(id)).sort());
    replicaA.close();
  });

  it("pulls no directory for an operator's token, which is no person (403 on /v1/me), and fails no sync for it", async () => {
    const { token } = await createFirstOperator(service.db, { name: 'Ops', tokenLabel: 'sync', actor: { type: 'system', id: 'test' } });
    const replica = await createReplica();
    expect(await pullDirectory({ client: clientWith(token.token), into: replica, now: () => new Date() })).toBe(false);
    expect([replica.directoryUser(), replica.tenants()]).toEqual([null, []]);
    replica.close();
  });
});
