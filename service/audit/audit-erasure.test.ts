import { describe, expect, it } from 'vitest';
import { PersonalErasureSchema } from '../../shared/audit/api';
import { auditLeafBytes } from '../../shared/audit/event';
import { leafHash, rootOfLeafHashes } from '../../shared/audit/merkle';
import { PLATFORM_TENANT_ID } from '../db/db';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';
import { appendAuditEvent, currentTree, listAuditEvents } from './audit-log';

const system = { type: 'system', id: 'test' } as const;

describe.each(TEST_ENGINES)('erasing the personal data of an audit event on %s', (kind) => {
  const clock = new Date('2026-03-02T09:00:05Z');
  const svc = inProcessService(kind, { now: () => clock });

  const erase = (tenantId: string, seq: number | string, token: string) => svc.call('DELETE', `/v1/tenants/${tenantId}/audit/events/${seq}/personal`, { token });
  const userWith = async (opts: Parameters<typeof createTestUser>[3], stepUp: boolean) => {
    const user = await createTestUser(svc.t.db, svc.keys, svc.hasher, opts);
    const s = stepUp ? await svc.steppedUp(user) : await svc.session(user);
    return { user, token: s.accessToken };
  };

  it('lets a stepped-up security officer erase it: the data is gone, the event and the tree still verify, and the erasure is logged', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const officer = await userWith({ platformRoles: ['security_officer'] }, true);
    await svc.t.db.tenant(tenant, (tx) => appendAuditEvent(tx, { actor: system, action: 'auth.login', target: 'user:1', personal: { email: 'ada@example.com' } }));
    await svc.t.db.tenant(tenant, (tx) => appendAuditEvent(tx, { actor: system, action: 'auth.login', target: 'user:2', personal: { email: 'bob@example.com' } }));
    const before = await svc.t.db.tenant(tenant, currentTree);

    const res = await erase(tenant, 1, officer.token);
    expect(res.statusCode).toBe(200);
    expect(PersonalErasureSchema.parse(res.json())).toEqual({ seq: 1, erased: true });

    const events = await svc.t.db.tenant(tenant, (tx) => listAuditEvents(tx));
    expect(events.map((e) => e.personal?.data ?? null)).toEqual([null, { email: 'bob@example.com' }, {}]);
    expect(events[2]).toMatchObject({ seq: 3, action: 'audit.personal_erased', target: 'audit_event:1', actor: { type: 'user', id: officer.user.userId } });
    // The leaf commits to the personal data without containing it: the first two leaves and the old root are unchanged.
    const leaves = events.map((e) => leafHash(auditLeafBytes(e)));
    expect(Buffer.from(rootOfLeafHashes(leaves, 0, 2)).toString('hex')).toBe(Buffer.from(before.root).toString('hex'));
    expect(Buffer.from(rootOfLeafHashes(leaves)).toString('hex')).toBe(Buffer.from((await svc.t.db.tenant(tenant, currentTree)).root).toString('hex'));

    // Again: nothing left to erase, nothing changes, nothing logged.
    const again = await erase(tenant, 1, officer.token);
    expect(again.statusCode).toBe(200);
    expect(PersonalErasureSchema.parse(again.json())).toEqual({ seq: 1, erased: false });
    expect((await svc.t.db.tenant(tenant, (tx) => listAuditEvents(tx))).length).toBe(3);
  });

  it('erases in the platform log under the nil UUID too', async () => {
    const officer = await userWith({ platformRoles: ['security_officer'] }, true);
    const event = await svc.t.db.platform((tx) => appendAuditEvent(tx, { actor: system, action: 'auth.login', target: 'user:9', personal: { ip: '192.0.2.9' } }));
    const res = await erase(PLATFORM_TENANT_ID, event.seq, officer.token);
    expect(res.statusCode).toBe(200);
    expect(PersonalErasureSchema.parse(res.json())).toEqual({ seq: event.seq, erased: true });
    const [stored] = await svc.t.db.platform((tx) => listAuditEvents(tx, { afterSeq: event.seq - 1, limit: 1 }));
    expect(stored?.personal).toBeNull();
  });

  it('refuses without step-up (403 step_up_required), to anyone but a security officer (403 forbidden), and unknown events or tenants (404); nothing changes', async () => {
    const tenant = await createTestTenant(svc.t.db);
    await svc.t.db.tenant(tenant, (tx) => appendAuditEvent(tx, { actor: system, action: 'auth.login', target: 'user:1', personal: { email: 'ada@example.com' } }));
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

    const events = await svc.t.db.tenant(tenant, (tx) => listAuditEvents(tx));
    expect(events.map((e) => [e.seq, e.personal?.data ?? null])).toEqual([[1, { email: 'ada@example.com' }]]);
  });
});
