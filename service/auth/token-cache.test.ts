import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ephemeralKeyRing } from '../crypto/key-ring';
import type { Db } from '../db/db';
import { plainCompareHasher } from '../identity/passwords';
import { setMemberRole } from '../members/member-repository';
import { revokeSession, setStepUp } from '../sessions/session-repository';
import { openTestDatabase, type TestDatabase } from '../testing/databases';
import { createTestTenant, createTestUser, sessionFor } from '../testing/identity-fixtures';
import { createAuthenticator } from './authenticate';
import { TokenCache } from './token-cache';

const actor = { type: 'system', id: 'test' } as const;

describe('validated-token cache (PGlite)', () => {
  let t: TestDatabase;
  let reads = 0;
  let db: Db;
  const cache = new TokenCache();
  let unwatch: (() => Promise<void>) | null = null;
  let clock = new Date('2026-11-22T10:00:00Z');
  const now = () => clock;

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    // Counts the authenticator's trips to the database.
    db = { ...t.db, platform: (fn) => ((reads += 1), t.db.platform(fn)) };
    unwatch = await t.db.watchAuthChanges(() => cache.clear());
  });
  afterAll(async () => {
    await unwatch?.();
    await t.dispose();
  });

  const signedIn = async () => {
    const tenant = await createTestTenant(t.db);
    const user = await createTestUser(t.db, ephemeralKeyRing(), plainCompareHasher(), { memberships: [{ tenantId: tenant, role: 'admin' }] });
    const tokens = await sessionFor(t.db, user.userId, clock);
    return { tenant, user, tokens, header: `Bearer ${tokens.accessToken}` };
  };

  it('is offered by PGlite, which delivers change notices before the commit resolves', () => {
    expect(unwatch).not.toBeNull();
  });

  it('answers a validated token from memory until something auth-relevant changes', async () => {
    const { header } = await signedIn();
    const authenticate = createAuthenticator(db, now, cache);
    reads = 0;
    expect((await authenticate(header)).ok).toBe(true);
    expect((await authenticate(header)).ok).toBe(true);
    expect((await authenticate(header)).ok).toBe(true);
    expect(reads).toBe(1);
  });

  it('sees a revocation on the very next call', async () => {
    const { header, tokens } = await signedIn();
    const authenticate = createAuthenticator(db, now, cache);
    expect((await authenticate(header)).ok).toBe(true);
    await t.db.platform((tx) => revokeSession(tx, tokens.session.id, 'revoked', clock));
    expect(await authenticate(header)).toEqual({ ok: false, reason: 'session_revoked' });
  });

  it('sees a role change and a step-up on the very next call', async () => {
    const { header, tokens, tenant, user } = await signedIn();
    const authenticate = createAuthenticator(db, now, cache);
    const first = await authenticate(header);
    expect(first.ok && first.principal.grants.memberships).toEqual([{ tenantId: tenant, role: 'admin' }]);

    await t.db.tenant(tenant, (tx) => setMemberRole(tx, user.userId, 'admin', 'viewer', actor, 'test'));
    const second = await authenticate(header);
    expect(second.ok && second.principal.grants.memberships).toEqual([{ tenantId: tenant, role: 'viewer' }]);

    const until = new Date(clock.getTime() + 300_000);
    await t.db.platform((tx) => setStepUp(tx, tokens.session.id, until));
    const third = await authenticate(header);
    expect(third.ok && third.principal.kind === 'user' && third.principal.session.stepUpUntil?.toISOString()).toBe(until.toISOString());
  });

  it('still applies the access-token and idle limits to cached tokens', async () => {
    const { header } = await signedIn();
    const authenticate = createAuthenticator(db, now, cache);
    expect((await authenticate(header)).ok).toBe(true);
    const start = clock;
    clock = new Date(start.getTime() + 16 * 60_000);
    expect(await authenticate(header)).toEqual({ ok: false, reason: 'access_expired' });
    clock = start;
  });

  it('refuses an entry read before a clear', () => {
    const c = new TokenCache();
    const before = c.generation;
    c.clear();
    c.set('h', { principal: { kind: 'user', userId: 'u', email: 'e', grants: { platformRoles: [], memberships: [] }, session: { id: 's', userId: 'u', createdAt: new Date(), lastSeenAt: new Date(), idleTimeoutSeconds: 60, absoluteExpiresAt: new Date(), revokedAt: null, revokedReason: null, stepUpUntil: null }, suspendedTenantIds: [] }, accessExpiresAt: new Date(), rolesChangeAt: null }, before);
    expect(c.get('h')).toBeUndefined();
  });
});
