import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../../../service/testing/identity-fixtures';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import { ok, signIn as signInTestConsole, startConsole as startTestConsole, type ConsoleOptions, type ConsoleUnderTest } from '../testing/console-under-test.fixture';
import { createMemoryVault } from '../vault/memory-vault';
import { offlineKey } from '../vault/offline-keys';
import { ownerFolder, ownerKeyAccount } from './offline-owner';
import { writeReplicaFile } from './replica-file';

/**
 * The Users and Sessions lists offline, through the console core's dispatch,
 * against the real service over HTTPS; "offline" is a relay the test cuts.
 */
describe('members, sessions and tenants offline (core, against the real service)', () => {
  let service: RealService;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    service = await startRealService();
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  afterAll(() => service.close());

  const startConsole = (opts: ConsoleOptions = {}) => startTestConsole(service, cleanup, opts);
  const signIn = (c: ConsoleUnderTest, user: TestUser) => signInTestConsole(service, c, user);

  const setUp = async () => {
    const tenantId = await service.tenant();
    const other = await service.tenant();
    const owner = await service.user({ memberships: [{ tenantId, role: 'owner' }] });
    const noMfa = await service.user({ memberships: [{ tenantId, role: 'editor' }], mfa: false });
    const admin = await service.user({ memberships: [{ tenantId, role: 'admin' }] });
    await service.user({ memberships: [{ tenantId: other, role: 'owner' }] });
    return { tenantId, other, owner, noMfa, admin };
  };

  it('answers members.list, sessions.list and tenants.list from the offline copy, filtered, and says so', async () => {
    const { tenantId, other, owner, noMfa, admin } = await setUp();
    const staff = await service.user({ platformRoles: ['security_officer'], memberships: [{ tenantId, role: 'owner' }] });
    const c = await startConsole();
    const before = Date.now();
    await signIn(c, staff);
    const online = ok<'members.list'>(await c.call('members.list', { tenantId, query: { sort: 'role' } }));
    expect(online.offline).toBeUndefined();
    const onlineSessions = ok<'sessions.list'>(await c.call('sessions.list', { tenantId }));
    expect(onlineSessions.offline).toBeUndefined();
    const onlineTenants = ok<'tenants.list'>(await c.call('tenants.list'));
    expect(ok<'incidents.sync'>(await c.call('incidents.sync'))).toMatchObject({ problem: null });

    await c.link.cut();
    const offline = ok<'members.list'>(await c.call('members.list', { tenantId, query: { sort: 'role' } }));
    expect(offline).toEqual({ ...online, offline: { fetchedAt: expect.any(String) } });
    // Fetched by the sync that followed the sign-in (the explicit one came within the refresh interval).
    expect(Date.parse(offline.offline!.fetchedAt)).toBeGreaterThanOrEqual(before);
    expect(offline.items.map((m) => m.role)).toEqual(['owner', 'owner', 'admin', 'editor']);
    expect(ok<'members.list'>(await c.call('members.list', { tenantId, query: { mfa: 'not_enrolled', status: 'active' } })).items.map((m) => m.userId)).toEqual([
      noMfa.userId,
    ]);
    expect(ok<'members.list'>(await c.call('members.list', { tenantId, query: { role: 'admin' } })).items.map((m) => m.userId)).toEqual([admin.userId]);

    const sessions = ok<'sessions.list'>(await c.call('sessions.list', { tenantId }));
    expect(sessions.offline).toEqual({ fetchedAt: offline.offline!.fetchedAt });
    expect(sessions.items.map((s) => s.id)).toEqual(onlineSessions.items.map((s) => s.id));
    expect(sessions.items.filter((s) => s.current).map((s) => s.userId)).toEqual([staff.userId]);
    expect(ok<'sessions.list'>(await c.call('sessions.list', { tenantId, userId: owner.userId })).items).toEqual([]);
    expect(ok<'sessions.list'>(await c.call('sessions.list', { tenantId, flagged: true })).items.map((s) => s.id)).toEqual(
      onlineSessions.items.filter((s) => s.flags.length > 0).map((s) => s.id),
    );
    expect(ok<'tenants.list'>(await c.call('tenants.list'))).toEqual(onlineTenants);

    // A tenant the person reads only through a platform role has no offline copy: the service's error stands.
    expect(await c.call('members.list', { tenantId: other })).toMatchObject({ ok: false, error: { code: 'service_unreachable' } });
    // Changes still need the service.
    expect(await c.call('members.invite', { tenantId, email: 'new@example.com', role: 'viewer' })).toMatchObject({ ok: false, error: { code: 'service_unreachable' } });
    // Malformed input is refused before any of this, as online.
    expect(await c.call('members.list', { tenantId, query: { sort: 'shoe' } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    await c.link.restore();
    await c.call('connection.retry');
    expect(ok<'members.list'>(await c.call('members.list', { tenantId })).offline).toBeUndefined();
    expect(ok<'sessions.list'>(await c.call('sessions.list', { tenantId })).offline).toBeUndefined();
  });

  it('shows nothing offline once signed out, and nothing of the previous person to the next', async () => {
    const { tenantId, other, owner } = await setUp();
    const elsewhere = await service.user({ memberships: [{ tenantId: other, role: 'admin' }] });
    const c = await startConsole();
    await signIn(c, owner);
    ok(await c.call('incidents.sync'));
    ok(await c.call('auth.logout'));
    await c.link.cut();
    expect(await c.call('members.list', { tenantId })).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    await c.link.restore();
    await c.call('connection.retry');
    await signIn(c, elsewhere);
    await c.link.cut();
    // Whether or not the new person's first sync has run, the owner's copy is not theirs to read.
    expect(await c.call('members.list', { tenantId })).toMatchObject({ ok: false, error: { code: 'service_unreachable' } });
    expect(await c.call('sessions.list', { tenantId })).toMatchObject({ ok: false, error: { code: 'service_unreachable' } });
    await c.link.restore();
    await c.call('connection.retry');
    ok(await c.call('incidents.sync'));
    await c.link.cut();
    expect(ok<'members.list'>(await c.call('members.list', { tenantId: other })).items.map((m) => m.userId)).toContain(elsewhere.userId);
    expect(await c.call('members.list', { tenantId })).toMatchObject({ ok: false, error: { code: 'service_unreachable' } });
  });

  it('rebuilds a replica of the previous schema (3) at the first sync, directory included, without asking', async () => {
    const { tenantId, owner } = await setUp();
    const vault = createMemoryVault();
    const dataDir = mkdtempSync(join(tmpdir(), 'attest-directory-v3-'));
    const folder = ownerFolder(join(dataDir, 'incidents'), owner.userId);
    mkdirSync(folder, { recursive: true });
    const SQL = await initSqlJs();
    const v3 = new SQL.Database();
    v3.run('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT; PRAGMA user_version = 3');
    const replicaPath = join(folder, 'replica.db');
    await writeReplicaFile(replicaPath, v3.export(), await offlineKey(vault, ownerKeyAccount('replica-key', owner.userId)));
    v3.close();
    const v3Bytes = readFileSync(replicaPath);

    const c = await startConsole({ vault, dataDir });
    await signIn(c, owner);
    expect(ok<'incidents.syncStatus'>(await c.call('incidents.syncStatus')).problem).toBeNull();
    expect(ok<'incidents.sync'>(await c.call('incidents.sync'))).toMatchObject({ problem: null });
    expect(readFileSync(replicaPath).equals(v3Bytes)).toBe(false);
    await c.link.cut();
    expect(ok<'members.list'>(await c.call('members.list', { tenantId })).items.map((m) => m.userId)).toContain(owner.userId);
  });
});
