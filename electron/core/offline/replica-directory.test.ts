import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member } from '../../../shared/identity/schemas';
import type { SessionSummary } from '../../../shared/sessions/schemas';
import type { Tenant, TenantId } from '../../../shared/tenants/tenant';
import { createKeytarVault } from '../vault/keytar-vault';
import { offlineKey } from '../vault/offline-keys';
import { createOfflineDirectory } from './offline-directory';
import { createReplica, loadReplica, REPLICA_SCHEMA_VERSION } from './replica-database';
import { writeReplicaFile } from './replica-file';

const key = randomBytes(32);
let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'attest-replica-directory-'));
  path = join(dir, 'replica.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T1 = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d';
const T2 = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9e';
const tenant: Tenant = { id: T1 as TenantId, name: 'Northwind Health', slug: 'northwind-health', status: 'active', region: 'eu', plan: 'team', createdAt: '2026-01-01T00:00:00.000Z' };
const uid = (n: number) => `b9f6c1de-0000-4000-8000-${String(n).padStart(12, '0')}`;
const member = (n: number, m: Partial<Member>): Member => ({
  userId: uid(n),
  email: `user${n}@example.com`,
  displayName: `User ${n}`,
  role: 'viewer',
  mfaEnrolled: true,
  status: 'active',
  lastSignInAt: null,
  ...m,
});
const members: Member[] = [
  member(1, { email: 'Zoe@example.com', role: 'owner', lastSignInAt: '2026-11-20T10:00:00.000Z' }),
  member(2, { email: 'adam@example.com', role: 'admin', mfaEnrolled: false, lastSignInAt: '2026-11-22T10:00:00.000Z' }),
  member(3, { email: 'bea@example.com', role: 'viewer', status: 'invited', mfaEnrolled: false }),
  member(4, { email: 'carl@example.com', role: 'editor', status: 'deactivated', lastSignInAt: '2026-10-01T10:00:00+02:00' }),
];
const counts = { enrolled: 1, notEnrolled: 1, invited: 1 };
const session = (n: number, s: Partial<SessionSummary>): SessionSummary => ({
  id: `5e0d7c1b-0000-4000-8000-${String(n).padStart(12, '0')}`,
  userId: uid(1),
  email: 'zoe@example.com',
  displayName: 'Zoe',
  userAgent: 'Firefox',
  ip: '192.0.2.1',
  createdAt: '2026-11-20T00:00:00.000Z',
  lastSeenAt: '2026-11-22T00:00:00.000Z',
  idleExpiresAt: '2026-12-06T00:00:00.000Z',
  absoluteExpiresAt: '2026-12-20T00:00:00.000Z',
  current: false,
  flags: [],
  ...s,
});
const emails = (list: { items: Member[] } | null) => list?.items.map((m) => m.email);

describe('replica directory', () => {
  it('names the people of any stored member list, display name first, for the incident page', async () => {
    const replica = await createReplica();
    replica.replaceMembers(T1, { items: members, counts, cut: null, fetchedAt: '2026-11-23T09:00:00.000Z' });
    replica.replaceMembers(T2, { items: [member(5, { displayName: '', email: 'eve@example.com' })], counts, cut: null, fetchedAt: '2026-11-23T09:00:00.000Z' });
    const names = replica.personNames([uid(1), uid(5), uid(9), uid(1)]);
    expect(Object.fromEntries(names)).toEqual({ [uid(1)]: 'User 1', [uid(5)]: 'eve@example.com' });
    // More ids than one statement may bind.
    expect(replica.personNames(Array.from({ length: 1_200 }, (_, i) => uid(i))).size).toBe(5);
    replica.close();
  });

  it('round-trips tenants, members and sessions with their fetch times and cuts through the sealed file', async () => {
    const replica = await createReplica();
    replica.setDirectoryUser(uid(1));
    replica.replaceTenants([tenant]);
    expect(replica.replaceMembers(T1, { items: members, counts, cut: null, fetchedAt: '2026-11-23T09:00:00.000Z' })).toBe(true);
    const cut = { reason: 'row_bound', kept: 2, bound: 2 } as const;
    replica.replaceSessions(T1, { items: [session(1, { current: true }), session(2, { userId: uid(2), flags: ['new_ip'] })], cut, fetchedAt: '2026-11-23T09:00:01Z' });
    await replica.save(path, key);
    replica.close();

    expect(readFileSync(path).includes('adam@example.com')).toBe(false);
    const loaded = (await loadReplica(path, key))!;
    expect(loaded.directoryUser()).toBe(uid(1));
    expect(loaded.tenants()).toEqual([tenant]);
    expect(loaded.memberList(T1, {})).toEqual({
      items: [members[1], members[2], members[3], members[0]],
      hasMore: false,
      counts,
      fetchedAt: '2026-11-23T09:00:00.000Z',
      cut: null,
    });
    expect(loaded.sessionList(T1, {}, new Date('2026-11-23T10:00:00Z'))).toMatchObject({ fetchedAt: '2026-11-23T09:00:01.000Z', cut, items: [{ current: true }, { flags: ['new_ip'] }] });
    expect(loaded.memberList(T2, {})).toBeNull();
    expect(loaded.sessionList(T2, {}, new Date())).toBeNull();
    // The same list again changes nothing but its fetch time.
    expect(loaded.replaceMembers(T1, { items: [...members].reverse(), counts, cut: null, fetchedAt: '2026-11-23T10:00:00.000Z' })).toBe(false);
    expect(loaded.memberList(T1, {})?.fetchedAt).toBe('2026-11-23T10:00:00.000Z');
    // The same rows, no longer cut (or cut for another reason), is a change: the copy says what it holds.
    expect(loaded.replaceMembers(T1, { items: members, counts, cut: { reason: 'row_bound', kept: 4, bound: 4 }, fetchedAt: '2026-11-23T10:00:00.000Z' })).toBe(true);
    expect(loaded.memberList(T1, {})).toMatchObject({ hasMore: true, cut: { kept: 4 } });
    loaded.close();
  });

  it('opens after a restart with the replica key kept in the OS keychain (real Secret Service), and not with another', async () => {
    const service = `attest-test-replica-${process.pid}-${Date.now()}`;
    const vault = createKeytarVault({ service });
    const other = createKeytarVault({ service: `${service}-other` });
    try {
      const replica = await createReplica();
      replica.setDirectoryUser(uid(1));
      replica.replaceMembers(T1, { items: members, counts, cut: null, fetchedAt: '2026-11-23T09:00:00.000Z' });
      await replica.save(path, await offlineKey(vault, 'replica-key'));
      replica.close();
      // A new process: a new vault object on the same keychain entry.
      const loaded = (await loadReplica(path, await offlineKey(createKeytarVault({ service }), 'replica-key')))!;
      expect(emails(loaded.memberList(T1, { role: 'owner' }))).toEqual(['Zoe@example.com']);
      loaded.close();
      await expect(loadReplica(path, await offlineKey(other, 'replica-key'))).rejects.toMatchObject({ code: 'replica_key_mismatch' });
    } finally {
      await vault.delete('replica-key');
      await other.delete('replica-key');
    }
  });

  it("filters and orders members like the service's list", async () => {
    const replica = await createReplica();
    replica.replaceMembers(T1, { items: members, counts, cut: null, fetchedAt: '2026-11-23T09:00:00.000Z' });
    expect(emails(replica.memberList(T1, { role: 'admin' }))).toEqual(['adam@example.com']);
    expect(emails(replica.memberList(T1, { status: 'active' }))).toEqual(['adam@example.com', 'Zoe@example.com']);
    expect(emails(replica.memberList(T1, { mfa: 'not_enrolled' }))).toEqual(['adam@example.com', 'bea@example.com']);
    expect(emails(replica.memberList(T1, { mfa: 'enrolled', status: 'active' }))).toEqual(['Zoe@example.com']);
    // Never signed in counts as stale; times with an offset compare as instants.
    expect(emails(replica.memberList(T1, { signedInBefore: '2026-11-21T00:00:00+00:00' }))).toEqual(['bea@example.com', 'carl@example.com', 'Zoe@example.com']);
    expect(emails(replica.memberList(T1, { sort: 'role' }))).toEqual(['Zoe@example.com', 'adam@example.com', 'carl@example.com', 'bea@example.com']);
    expect(emails(replica.memberList(T1, { sort: 'status', order: 'desc' }))).toEqual(['carl@example.com', 'bea@example.com', 'Zoe@example.com', 'adam@example.com']);
    expect(emails(replica.memberList(T1, { sort: 'last_sign_in' }))).toEqual(['bea@example.com', 'carl@example.com', 'Zoe@example.com', 'adam@example.com']);
    expect(emails(replica.memberList(T1, { sort: 'last_sign_in', order: 'desc' }))).toEqual(['adam@example.com', 'Zoe@example.com', 'carl@example.com', 'bea@example.com']);
    expect(emails(replica.memberList(T1, { sort: 'mfa' }))).toEqual(['adam@example.com', 'bea@example.com', 'carl@example.com', 'Zoe@example.com']);
    const page = replica.memberList(T1, { limit: 2, offset: 1 });
    expect([emails(page), page?.hasMore]).toEqual([['bea@example.com', 'carl@example.com'], true]);
    expect(replica.memberList(T1, { limit: 2, offset: 2 })?.hasMore).toBe(false);
    // A list cut at the pull's bound never claims to be all there is.
    replica.replaceMembers(T1, { items: members, counts, cut: { reason: 'row_bound', kept: 4, bound: 4 }, fetchedAt: '2026-11-23T09:00:00.000Z' });
    expect(replica.memberList(T1, {})?.hasMore).toBe(true);
    replica.close();
  });

  it('answers offline with the cut of a list cut at its bound, and none for a whole one', async () => {
    const replica = await createReplica();
    replica.setDirectoryUser(uid(1));
    const cut = { reason: 'row_bound', kept: 4, bound: 4 } as const;
    replica.replaceMembers(T1, { items: members, counts, cut, fetchedAt: '2026-11-23T09:00:00.000Z' });
    replica.replaceSessions(T1, { items: [session(1, {})], cut: null, fetchedAt: '2026-11-23T09:00:00.000Z' });
    const offline = createOfflineDirectory({ read: async (work) => work(replica), me: async () => ({ userId: uid(1), sessionId: 'none' }), now: () => new Date('2026-11-23T10:00:00Z') });
    expect((await offline.members(T1, {}))?.offline).toEqual({ fetchedAt: '2026-11-23T09:00:00.000Z', cut });
    expect((await offline.sessions(T1, {}))?.offline).toEqual({ fetchedAt: '2026-11-23T09:00:00.000Z' });
    replica.close();
  });

  it('lists sessions by last use, filtered, without those expired since the fetch', async () => {
    const replica = await createReplica();
    replica.replaceSessions(T1, {
      items: [
        session(1, { lastSeenAt: '2026-11-22T00:00:00.000Z' }),
        session(2, { userId: uid(2), lastSeenAt: '2026-11-22T05:00:00.000Z', flags: ['new_device'] }),
        session(3, { lastSeenAt: '2026-11-21T00:00:00.000Z', idleExpiresAt: '2026-11-23T12:00:00.000Z' }),
      ],
      cut: null,
      fetchedAt: '2026-11-23T09:00:00.000Z',
    });
    const ids = (filter: { userId?: string; flagged?: boolean }, now: string) => replica.sessionList(T1, filter, new Date(now))?.items.map((s) => s.id.slice(-1));
    expect(ids({}, '2026-11-23T10:00:00Z')).toEqual(['2', '1', '3']);
    expect(ids({}, '2026-11-23T12:00:00Z')).toEqual(['2', '1']);
    expect(ids({ userId: uid(1) }, '2026-11-23T10:00:00Z')).toEqual(['1', '3']);
    expect(ids({ flagged: true }, '2026-11-23T10:00:00Z')).toEqual(['2']);
    expect(ids({ flagged: false }, '2026-11-23T10:00:00Z')).toEqual(['1', '3']);
    replica.close();
  });

  it('replaces a list whole or not at all, and drops lists the person no longer sees', async () => {
    const replica = await createReplica();
    replica.setDirectoryUser(uid(1));
    replica.replaceMembers(T1, { items: members, counts, cut: null, fetchedAt: '2026-11-23T09:00:00.000Z' });
    replica.replaceMembers(T2, { items: members.slice(0, 1), counts, cut: null, fetchedAt: '2026-11-23T09:00:00.000Z' });
    replica.replaceSessions(T2, { items: [session(1, {})], cut: null, fetchedAt: '2026-11-23T09:00:00.000Z' });
    expect(() =>
      replica.replaceMembers(T1, { items: [members[0]!, { ...members[1]!, role: 'superuser' as never }], counts, cut: null, fetchedAt: '2026-11-23T10:00:00.000Z' }),
    ).toThrow();
    expect(replica.memberList(T1, {})?.items).toHaveLength(4);

    expect(replica.keepDirectoryOf([T1])).toBe(true);
    expect([replica.memberList(T2, {}), replica.sessionList(T2, {}, new Date())]).toEqual([null, null]);
    expect(replica.forgetTenantList(T1, 'members')).toBe(true);
    expect(replica.memberList(T1, {})).toBeNull();

    // Someone else signing in on this computer starts from an empty directory.
    replica.replaceMembers(T1, { items: members, counts, cut: null, fetchedAt: '2026-11-23T09:00:00.000Z' });
    replica.replaceTenants([tenant]);
    expect(replica.setDirectoryUser(uid(1))).toBe(false);
    expect(replica.setDirectoryUser(uid(2))).toBe(true);
    expect([replica.directoryUser(), replica.memberList(T1, {}), replica.tenants()]).toEqual([uid(2), null, []]);
    replica.close();
  });

  it('treats a snapshot of the previous schema (4, whose lists could not say why they were cut) as no copy, leaving the file for the next save to replace', async () => {
    expect(REPLICA_SCHEMA_VERSION).toBe(5);
    const SQL = await initSqlJs();
    const v4 = new SQL.Database();
    v4.run('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT; PRAGMA user_version = 4');
    await writeReplicaFile(path, v4.export(), key);
    v4.close();
    const before = readFileSync(path);
    expect(await loadReplica(path, key)).toBeNull();
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
