import { describe, expect, it } from 'vitest';
import { AuditEventPageSchema, InclusionProofSchema } from '../../shared/audit/api';
import { auditLeafBytes, fromHex } from '../../shared/audit/event';
import { leafHash, verifyInclusion } from '../../shared/audit/merkle';
import { SignedTreeHeadSchema } from '../../shared/audit/tree-head';
import { PostureSnapshotListSchema, PostureSnapshotSchema } from '../../shared/posture/api';
import { CATALOGUE_VERSION } from '../../shared/posture/catalogue';
import { PLATFORM_TENANT_ID } from '../db/db';
import { membersKit } from '../security/members-kit';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { postureSha256, listSnapshots } from './snapshot-repository';
import { takeDueSnapshots } from './daily-snapshots';
import { postureRuntimeOf } from './posture-handlers';
import { inLog } from '../audit/tree-heads';

describe.each(TEST_ENGINES)('posture snapshots, on %s', (kind) => {
  let clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person } = membersKit(svc, () => clock);

  it("stores an evaluation, appends its hash to the tenant's log in the same transaction, provable under a signed head", async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    const token = (await svc.session(owner)).accessToken;
    const res = await call('POST', `/v1/tenants/${tenant}/posture/snapshots`, { token });
    expect(res.statusCode, res.body).toBe(201);
    const snapshot = PostureSnapshotSchema.parse(res.json());
    expect(snapshot).toMatchObject({ tenantId: tenant, takenAt: clock.toISOString(), catalogueVersion: CATALOGUE_VERSION });
    expect(postureSha256(snapshot.posture)).toBe(snapshot.sha256);
    const events = AuditEventPageSchema.parse((await call('GET', `/v1/tenants/${tenant}/audit/events?limit=500`, { token })).json()).items;
    const event = events.find((e) => e.seq === snapshot.auditSeq)!;
    expect(event).toMatchObject({ action: 'posture.snapshot', target: `posture_snapshot:${snapshot.id}`, actor: { type: 'user', id: owner.userId } });
    expect(event.details).toMatchObject({ sha256: snapshot.sha256, catalogueVersion: CATALOGUE_VERSION });
    const head = SignedTreeHeadSchema.parse((await call('POST', `/v1/tenants/${tenant}/audit/sth`, { token })).json());
    const proof = InclusionProofSchema.parse((await call('GET', `/v1/tenants/${tenant}/audit/proof/inclusion?seq=${event.seq}&treeSize=${head.treeSize}`, { token })).json());
    expect(verifyInclusion(leafHash(auditLeafBytes(event)), event.seq - 1, head.treeSize, proof.path.map(fromHex), fromHex(head.rootHash))).toEqual({ ok: true });
  });

  it('lists the history newest first, each stored as evaluated (its hash still matches)', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    const token = (await svc.session(owner)).accessToken;
    expect((await call('POST', `/v1/tenants/${tenant}/posture/snapshots`, { token })).statusCode).toBe(201);
    await createTestUser(svc.t.db, svc.keys, svc.hasher, { mfa: false, memberships: [{ tenantId: tenant, role: 'viewer' }] });
    clock = new Date(clock.getTime() + 60_000);
    expect((await call('POST', `/v1/tenants/${tenant}/posture/snapshots`, { token })).statusCode).toBe(201);
    const reviewer = (await svc.session(await person([{ tenantId: tenant, role: 'reviewer' }]))).accessToken;
    const res = await call('GET', `/v1/tenants/${tenant}/posture/snapshots`, { token: reviewer });
    expect(res.statusCode, res.body).toBe(200);
    const { items } = PostureSnapshotListSchema.parse(res.json());
    expect(items.map((s) => s.posture.controls.find((c) => c.id === 'auth.mfa')?.status)).toEqual(['warn', 'pass']);
    for (const s of items) expect(postureSha256(s.posture)).toBe(s.sha256);
    expect(PostureSnapshotListSchema.parse((await call('GET', `/v1/tenants/${tenant}/posture/snapshots?limit=1`, { token })).json()).items).toHaveLength(1);
  });

  it("stores the platform's snapshot under the nil id, anchored in the platform log", async () => {
    const officer = (await svc.session(await person([], ['security_officer']))).accessToken;
    const res = await call('POST', `/v1/tenants/${PLATFORM_TENANT_ID}/posture/snapshots`, { token: officer });
    expect(res.statusCode, res.body).toBe(201);
    const snapshot = PostureSnapshotSchema.parse(res.json());
    expect(snapshot.tenantId).toBe(PLATFORM_TENANT_ID);
    const events = AuditEventPageSchema.parse((await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/audit/events?limit=500`, { token: officer })).json()).items;
    expect(events.find((e) => e.seq === snapshot.auditSeq)?.details).toMatchObject({ sha256: snapshot.sha256 });
    const list = PostureSnapshotListSchema.parse((await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/posture/snapshots`, { token: officer })).json());
    expect(list.items.map((s) => s.id)).toEqual([snapshot.id]);
  });

  it('takes the daily snapshots of the platform and every tenant once a day, as the system', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const runtime = postureRuntimeOf({ hasher: svc.hasher, transport: { tls: null, hstsMaxAgeSeconds: null } });
    const scopes = 1 + (await svc.t.engine.query('SELECT id FROM tenants')).length;
    // Tenants snapshotted on demand within the day are not due.
    const first = await takeDueSnapshots(svc.t.db, runtime, clock);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(scopes);
    expect(await takeDueSnapshots(svc.t.db, runtime, clock)).toBe(0);
    clock = new Date(clock.getTime() + 25 * 60 * 60 * 1000);
    expect(await takeDueSnapshots(svc.t.db, runtime, clock)).toBe(scopes);
    const [latest] = await inLog(svc.t.db, tenant, (tx) => listSnapshots(tx, 1));
    expect(latest?.takenAt).toBe(clock.toISOString());
    const owner = (await svc.session(await person([{ tenantId: tenant, role: 'owner' }]))).accessToken;
    const events = AuditEventPageSchema.parse((await call('GET', `/v1/tenants/${tenant}/audit/events?limit=500`, { token: owner })).json()).items;
    expect(events.find((e) => e.seq === latest?.auditSeq)).toMatchObject({ action: 'posture.snapshot', actor: { type: 'system', id: 'posture' } });
  });
});

describe.each(TEST_ENGINES)('the daily snapshot timer of a running service, on %s', (kind) => {
  const svc = inProcessService(kind, { now: () => new Date(), postureSnapshots: { intervalMs: 100 } });

  it('snapshots the platform by itself', async () => {
    const deadline = Date.now() + 10_000;
    let items: unknown[] = [];
    while (items.length === 0 && Date.now() < deadline) {
      items = await inLog(svc.t.db, PLATFORM_TENANT_ID, (tx) => listSnapshots(tx, 1));
      if (items.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(items).toHaveLength(1);
  });
});
