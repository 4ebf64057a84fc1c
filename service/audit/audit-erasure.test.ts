import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PersonalErasureSchema } from '../../shared/audit/api';
import { auditLeafBytes } from '../../shared/audit/event';
import { leafHash, rootOfLeafHashes } from '../../shared/audit/merkle';
import { ApiErrorBodySchema } from '../../shared/errors/codes';
import { ephemeralKeyRing } from '../crypto/key-ring';
import { PLATFORM_TENANT_ID } from '../db/db';
import { buildServer } from '../http/server';
import { argon2Hasher, ARGON2_TEST_PARAMS, type PasswordHasher } from '../identity/passwords';
import { openTestDatabase, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { createTestTenant, createTestUser, grantStepUp, sessionFor } from '../testing/identity-fixtures';
import { appendAuditEvent, currentTree, listAuditEvents } from './audit-log';

const MIN = 60_000;
const system = { type: 'system', id: 'test' } as const;

describe.each(TEST_ENGINES)('erasing the personal data of an audit event on %s', (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let hasher: PasswordHasher;
  const keys = ephemeralKeyRing();
  const clock = new Date('2026-03-02T09:00:05Z');

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    hasher = await argon2Hasher(ARGON2_TEST_PARAMS);
    app = await buildServer({ db: t.db, tls: null, logger: false, keys, hasher, now: () => clock });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  const erase = (tenantId: string, seq: number | string, token: string) =>
    app.inject({ method: 'DELETE', url: `/v1/tenants/${tenantId}/audit/events/${seq}/personal`, headers: { authorization: `Bearer ${token}` } });
  const errorOf = (res: { statusCode: number; body: string }) => ({
    status: res.statusCode,
    code: ApiErrorBodySchema.safeParse(JSON.parse(res.body)).data?.error.code,
  });
  const userWith = async (opts: Parameters<typeof createTestUser>[3], stepUp: boolean) => {
    const user = await createTestUser(t.db, keys, hasher, opts);
    const s = await sessionFor(t.db, user.userId, clock);
    if (stepUp) await grantStepUp(t.db, s.session.id, new Date(clock.getTime() + 5 * MIN));
    return { user, token: s.accessToken };
  };

  it('lets a stepped-up security officer erase it: the data is gone, the event and the tree still verify, and the erasure is logged', async () => {
    const tenant = await createTestTenant(t.db);
    const officer = await userWith({ platformRoles: ['security_officer'] }, true);
    await t.db.tenant(tenant, (tx) => appendAuditEvent(tx, { actor: system, action: 'auth.login', target: 'user:1', personal: { email: 'ada@example.com' } }));
    await t.db.tenant(tenant, (tx) => appendAuditEvent(tx, { actor: system, action: 'auth.login', target: 'user:2', personal: { email: 'bob@example.com' } }));
    const before = await t.db.tenant(tenant, currentTree);

    const res = await erase(tenant, 1, officer.token);
    expect(res.statusCode).toBe(200);
    expect(PersonalErasureSchema.parse(res.json())).toEqual({ seq: 1, erased: true });

    const events = await t.db.tenant(tenant, (tx) => listAuditEvents(tx));
    expect(events.map((e) => e.personal?.data ?? null)).toEqual([null, { email: 'bob@example.com' }, {}]);
    expect(events[2]).toMatchObject({ seq: 3, action: 'audit.personal_erased', target: 'audit_event:1', actor: { type: 'user', id: officer.user.userId } });
    // The leaf commits to the personal data without containing it: the first two leaves and the old root are unchanged.
    const leaves = events.map((e) => leafHash(auditLeafBytes(e)));
    expect(Buffer.from(rootOfLeafHashes(leaves, 0, 2)).toString('hex')).toBe(Buffer.from(before.root).toString('hex'));
    expect(Buffer.from(rootOfLeafHashes(leaves)).toString('hex')).toBe(Buffer.from((await t.db.tenant(tenant, currentTree)).root).toString('hex'));

    // Again: nothing left to erase, nothing changes, nothing logged.
    const again = await erase(tenant, 1, officer.token);
    expect(again.statusCode).toBe(200);
    expect(PersonalErasureSchema.parse(again.json())).toEqual({ seq: 1, erased: false });
    expect((await t.db.tenant(tenant, (tx) => listAuditEvents(tx))).length).toBe(3);
  });

  it('erases in the platform log under the nil UUID too', async () => {
    const officer = await userWith({ platformRoles: ['security_officer'] }, true);
    const event = await t.db.platform((tx) => appendAuditEvent(tx, { actor: system, action: 'auth.login', target: 'user:9', personal: { ip: '192.0.2.9' } }));
    const res = await erase(PLATFORM_TENANT_ID, event.seq, officer.token);
    expect(res.statusCode).toBe(200);
    expect(PersonalErasureSchema.parse(res.json())).toEqual({ seq: event.seq, erased: true });
    const [stored] = await t.db.platform((tx) => listAuditEvents(tx, { afterSeq: event.seq - 1, limit: 1 }));
    expect(stored?.personal).toBeNull();
  });

  it('refuses without step-up (403 step_up_required), to anyone but a security officer (403 forbidden), and unknown events or tenants (404); nothing changes', async () => {
    const tenant = await createTestTenant(t.db);
    await t.db.tenant(tenant, (tx) => appendAuditEvent(tx, { actor: system, action: 'auth.login', target: 'user:1', personal: { email: 'ada@example.com' } }));
    const sleepy = await userWith({ platformRoles: ['security_officer'] }, false);
    const admin = await userWith({ platformRoles: ['platform_admin'] }, true);
    const owner = await userWith({ memberships: [{ tenantId: tenant, role: 'owner' }] }, true);
    const officer = await userWith({ platformRoles: ['security_officer'] }, true);

    expect(errorOf(await erase(tenant, 1, sleepy.token))).toEqual({ status: 403, code: 'step_up_required' });
    expect(errorOf(await erase(tenant, 1, admin.token))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await erase(tenant, 1, owner.token))).toEqual({ status: 403, code: 'forbidden' });
    expect(errorOf(await erase(tenant, 2, officer.token))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await erase('5b0e3f0e-1111-4222-8333-444455556666', 1, officer.token))).toEqual({ status: 404, code: 'not_found' });
    expect(errorOf(await erase(tenant, 0, officer.token))).toEqual({ status: 400, code: 'validation_failed' });
    expect(errorOf(await erase(tenant, 'x', officer.token))).toEqual({ status: 400, code: 'validation_failed' });

    const events = await t.db.tenant(tenant, (tx) => listAuditEvents(tx));
    expect(events.map((e) => [e.seq, e.personal?.data ?? null])).toEqual([[1, { email: 'ada@example.com' }]]);
  });
});
