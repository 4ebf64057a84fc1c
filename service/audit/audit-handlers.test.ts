import { beforeAll, describe, expect, it } from 'vitest';
import { AuditEventPageSchema, AuditPullPageSchema, ConsistencyProofSchema, InclusionProofSchema, type AuditPullPage } from '../../shared/audit/api';
import { auditLeafBytes, AuditEventSchema, fromHex, personalDataMismatch } from '../../shared/audit/event';
import { leafHash, verifyConsistency, verifyInclusion } from '../../shared/audit/merkle';
import { AuditKeyListSchema, SignedTreeHeadSchema, treeHeadSignatureProblem } from '../../shared/audit/tree-head';
import { ApiErrorBodySchema } from '../../shared/errors/codes';
import type { TenantId } from '../../shared/tenants/tenant';
import { PLATFORM_TENANT_ID } from '../db/db';
import { createFirstOperator } from '../operators/first-operator';
import { createTestTenant, createTestUser, sessionFor } from '../testing/identity-fixtures';
import { TEST_ENGINES } from '../testing/databases';
import { errorOf, inProcessService } from '../testing/in-process-service';
import { appendAuditEvent, erasePersonalAuditData } from './audit-log';
import { ephemeralAuditSigner } from './signing-key';

const actor = { type: 'operator', id: 'op-1' } as const;

describe.each(TEST_ENGINES)('audit API on %s', (kind) => {
  let token: string;
  let reviewerToken: string;
  let tenant: TenantId;
  let other: TenantId;
  const signer = ephemeralAuditSigner();
  const svc = inProcessService(kind, { now: () => new Date(), auditSigner: signer, treeHeadIntervalMs: 200 });

  beforeAll(async () => {
    const { keys, hasher } = svc;
    tenant = await createTestTenant(svc.t.db, 'Audited');
    other = await createTestTenant(svc.t.db, 'Other');
    token = (await createFirstOperator(svc.t.db, { name: 'Op', tokenLabel: 't', actor: { type: 'system', id: 'test' } })).token.token;
    const reviewer = await createTestUser(svc.t.db, keys, hasher, { memberships: [{ tenantId: tenant, role: 'reviewer' }] });
    reviewerToken = (await sessionFor(svc.t.db, reviewer.userId, new Date())).accessToken;
    const events: [string, string, 'success' | 'denied', string][] = [
      ['user.created', 'user:1', 'success', 'op-1'],
      ['auth.login', 'user:1', 'success', 'u-1'],
      ['auth.login', 'user:2', 'denied', 'u-2'],
      ['session.revoked', 'session:9', 'success', 'u-1'],
      ['auth.login', 'user:1', 'success', 'u-1'],
      ['member.role_changed', 'user:10', 'success', 'op-1'],
    ];
    for (const [action, target, outcome, id] of events) {
      await svc.t.db.tenant(tenant, (tx) =>
        appendAuditEvent(tx, { actor: { type: id.startsWith('op') ? 'operator' : 'user', id }, action, target, outcome, personal: { ip: '198.51.100.4' } }),
      );
    }
    await svc.t.db.tenant(other, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 'user:1' }));
  });
  const get = (url: string, bearer = token) => svc.call('GET', url, { token: bearer });
  const post = (url: string) => svc.call('POST', url, { token });
  const expectError = (res: { statusCode: number; body: string }, status: number, code: string) => expect(errorOf(res)).toEqual({ status, code });
  const page = async (query: string, bearer = token) => {
    const res = await get(`/v1/tenants/${tenant}/audit/events${query}`, bearer);
    expect(res.statusCode).toBe(200);
    return AuditEventPageSchema.parse(res.json());
  };
  const keys = async () => AuditKeyListSchema.parse((await get('/v1/audit/keys')).json()).items;

  it('pages through the events in sequence order with a cursor, personal data included', async () => {
    const first = await page('?limit=4');
    expect(first.items.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(first.nextCursor).toBe('4');
    const second = await page(`?limit=4&cursor=${first.nextCursor}`);
    expect(second.items.map((e) => e.seq)).toEqual([5, 6]);
    expect(second.nextCursor).toBeNull();
    expect(first.items[0]?.personal?.data).toEqual({ ip: '198.51.100.4' });
    expect(first.items.every((e) => e.tenantId === tenant && personalDataMismatch(e) === null)).toBe(true);
    // The tenant's own reviewer reads the same.
    expect((await page('?limit=4', reviewerToken)).items.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('filters by actor, action, exact target, target prefix, outcome and time', async () => {
    const seqs = async (q: string) => (await page(q)).items.map((e) => e.seq);
    expect(await seqs('?actor=u-1')).toEqual([2, 4, 5]);
    expect(await seqs('?action=auth.login')).toEqual([2, 3, 5]);
    expect(await seqs('?target=user:1')).toEqual([1, 2, 5]);
    expect(await seqs('?target=user:')).toEqual([1, 2, 3, 5, 6]);
    expect(await seqs('?outcome=denied')).toEqual([3]);
    expect(await seqs('?action=auth.login&actor=u-1&limit=1')).toEqual([2]);
    expect(await seqs('?actionPrefix=auth.')).toEqual([2, 3, 5]);
    expect(await seqs('?actionPrefix=auth')).toEqual([2, 3, 5]);
    expect(await seqs('?actionPrefix=member.role_')).toEqual([6]);
    expect(await seqs('?actionPrefix=s&actor=u-1')).toEqual([4]);
    // `_` is a letter here, not LIKE's any-character: `member_` matches nothing of `member.role_changed`.
    expect(await seqs('?actionPrefix=member_')).toEqual([]);
    expect(await seqs('?actionPrefix=nothing')).toEqual([]);
    const all = (await page('')).items;
    const at3 = all[2]!.at;
    expect(await seqs(`?from=${encodeURIComponent(at3)}`)).toEqual(all.filter((e) => e.at >= at3).map((e) => e.seq));
    expect(await seqs(`?to=${encodeURIComponent(at3)}`)).toEqual(all.filter((e) => e.at < at3).map((e) => e.seq));
    // A LIKE wildcard in a prefix is a literal character.
    expect(await seqs('?target=user_%25:')).toEqual([]);
    expect((await page('?action=auth.login&limit=1')).nextCursor).toBe('2');
  });

  it('shows erased personal data as null', async () => {
    const id = await createTestTenant(svc.t.db, 'Erased');
    await svc.t.db.tenant(id, (tx) => appendAuditEvent(tx, { actor, action: 'auth.login', target: 'user:1', personal: { email: 'ada@example.com' } }));
    await svc.t.db.tenant(id, (tx) => erasePersonalAuditData(tx));
    const res = AuditEventPageSchema.parse((await get(`/v1/tenants/${id}/audit/events`)).json());
    expect(res.items.map((e) => e.personal)).toEqual([null]);
  });

  it('refuses bad filters with 400 validation_failed, unknown tenants with 404, and other tenants’ logs to a member with 403', async () => {
    expectError(await get(`/v1/tenants/${tenant}/audit/events?outcome=maybe`), 400, 'validation_failed');
    expectError(await get(`/v1/tenants/${tenant}/audit/events?limit=0`), 400, 'validation_failed');
    expectError(await get(`/v1/tenants/${tenant}/audit/events?cursor=abc`), 400, 'validation_failed');
    // A prefix is words and dots, not a LIKE pattern: `%` would otherwise match every action.
    expectError(await get(`/v1/tenants/${tenant}/audit/events?actionPrefix=%25`), 400, 'validation_failed');
    expectError(await get(`/v1/tenants/${tenant}/audit/events?actionPrefix=Auth.`), 400, 'validation_failed');
    expectError(await get(`/v1/tenants/${tenant}/audit/events?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`), 400, 'validation_failed');
    expectError(await get(`/v1/tenants/${tenant}/audit/events?color=red`), 400, 'validation_failed');
    expectError(await get('/v1/tenants/5b0e3f0e-1111-4222-8333-444455556666/audit/events'), 404, 'not_found');
    expectError(await get(`/v1/tenants/${other}/audit/events`, reviewerToken), 403, 'forbidden');
    expectError(await get(`/v1/tenants/${PLATFORM_TENANT_ID}/audit/events`, reviewerToken), 403, 'forbidden');
  });

  it('pulls the log from a time on in large pages, saying how many events are left, as the events endpoint shows them', async () => {
    const id = await createTestTenant(svc.t.db, 'Pulled');
    await svc.t.db.tenant(id, async (tx) => {
      for (let i = 1; i <= 12; i++) await appendAuditEvent(tx, { actor, action: 'thing.done', target: `thing:${i}`, personal: { note: `n${i}` } });
    });
    const pull = async (query: string) => {
      const res = await get(`/v1/tenants/${id}/audit/pull${query}`);
      expect(res.statusCode).toBe(200);
      return AuditPullPageSchema.parse(res.json());
    };
    const all = AuditEventPageSchema.parse((await get(`/v1/tenants/${id}/audit/events?limit=100`)).json()).items;
    // Events appended in one transaction may share a time: the range is every event at or after `from`.
    const from = all[4]!.at;
    const expected = all.filter((e) => e.at >= from);
    const pages: AuditPullPage[] = [];
    for (let cursor: string | null = null; pages.length === 0 || cursor !== null; cursor = pages.at(-1)!.nextCursor) {
      pages.push(await pull(cursor === null ? `?from=${encodeURIComponent(from)}&limit=5` : `?cursor=${cursor}&limit=5`));
    }
    expect(pages.flatMap((p) => p.items)).toEqual(expected);
    expect(pages.map((p) => p.items.length)).toEqual(pages.map((_, i) => Math.min(5, expected.length - 5 * i)));
    expect(pages.map((p) => p.remaining)).toEqual(pages.map((p) => 12 - p.items.at(-1)!.seq));
    expect(pages.at(-1)).toMatchObject({ nextCursor: null, remaining: 0 });
    expect(pages[0]!.nextCursor).toBe(String(expected[4]!.seq));
    expect(await pull('?cursor=12')).toEqual({ items: [], nextCursor: null, remaining: 0 });
    expect((await pull('?limit=5000')).items.map((e) => e.seq)).toEqual(all.map((e) => e.seq));
    expect(await pull(`?from=${encodeURIComponent(new Date(Date.parse(all[11]!.at) + 1).toISOString())}`)).toEqual({ items: [], nextCursor: null, remaining: 0 });
  });

  it('pages past an event missing from the stored log instead of stopping at it, on both endpoints', async () => {
    const id = await createTestTenant(svc.t.db, 'Gap');
    await svc.t.db.tenant(id, async (tx) => {
      for (let i = 1; i <= 8; i++) await appendAuditEvent(tx, { actor, action: 'thing.done', target: `thing:${i}` });
    });
    await svc.t.engine.query('DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 3', [id]);
    const walk = async (path: string) => {
      const pages: number[][] = [];
      for (let cursor: string | null = ''; cursor !== null; ) {
        const res = await get(`/v1/tenants/${id}/audit/${path}?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode).toBe(200);
        const page = AuditEventPageSchema.extend({ remaining: AuditPullPageSchema.shape.remaining.optional() }).parse(res.json());
        pages.push(page.items.map((e) => e.seq));
        cursor = page.nextCursor;
      }
      return pages;
    };
    expect(await walk('pull')).toEqual([[1, 2, 4], [5, 6, 7], [8]]);
    expect(await walk('events')).toEqual([[1, 2, 4], [5, 6, 7], [8]]);
  });

  it('refuses pull pages over 5,000 and any filter but from with 400 validation_failed, unknown tenants with 404, others’ logs with 403, no token with 401', async () => {
    expect((await get(`/v1/tenants/${tenant}/audit/pull?limit=5000`)).statusCode).toBe(200);
    expectError(await get(`/v1/tenants/${tenant}/audit/pull?limit=5001`), 400, 'validation_failed');
    expectError(await get(`/v1/tenants/${tenant}/audit/pull?limit=0`), 400, 'validation_failed');
    expectError(await get(`/v1/tenants/${tenant}/audit/pull?cursor=abc`), 400, 'validation_failed');
    expectError(await get(`/v1/tenants/${tenant}/audit/pull?from=yesterday`), 400, 'validation_failed');
    expectError(await get(`/v1/tenants/${tenant}/audit/pull?action=auth.login`), 400, 'validation_failed');
    expectError(await get('/v1/tenants/5b0e3f0e-1111-4222-8333-444455556666/audit/pull'), 404, 'not_found');
    expectError(await get(`/v1/tenants/${other}/audit/pull`, reviewerToken), 403, 'forbidden');
    expectError(await svc.app.inject({ method: 'GET', url: `/v1/tenants/${tenant}/audit/pull` }), 401, 'auth_required');
  });

  it('publishes the signing key and signs tree heads with it, issuing one on demand', async () => {
    const published = await keys();
    expect(published.filter((k) => k.retiredAt === null).map((k) => k.keyId)).toEqual([signer.keyId]);
    const issued = await post(`/v1/tenants/${tenant}/audit/sth`);
    expect(issued.statusCode).toBe(200);
    const head = SignedTreeHeadSchema.parse(issued.json());
    expect(head).toMatchObject({ tenantId: tenant, treeSize: 6, keyId: signer.keyId });
    expect(treeHeadSignatureProblem(head, published)).toBeNull();
    const events = (await page('')).items;
    const latest = SignedTreeHeadSchema.parse((await get(`/v1/tenants/${tenant}/audit/sth`)).json());
    expect(latest).toEqual(head);
    // Nothing appended since: the same head again.
    expect(SignedTreeHeadSchema.parse((await post(`/v1/tenants/${tenant}/audit/sth`)).json())).toEqual(head);
    // Every event's inclusion proof checks against it.
    for (const e of events) {
      const res = await get(`/v1/tenants/${tenant}/audit/proof/inclusion?seq=${e.seq}&treeSize=${head.treeSize}`);
      expect(res.statusCode).toBe(200);
      const proof = InclusionProofSchema.parse(res.json());
      const ok = verifyInclusion(leafHash(auditLeafBytes(e)), e.seq - 1, head.treeSize, proof.path.map(fromHex), fromHex(head.rootHash));
      expect([e.seq, ok]).toEqual([e.seq, { ok: true }]);
    }
  });

  it('serves consistency proofs between heads, and the platform log under the nil UUID', async () => {
    const before = SignedTreeHeadSchema.parse((await get(`/v1/tenants/${tenant}/audit/sth`)).json());
    await svc.t.db.tenant(tenant, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:7' }));
    const after = SignedTreeHeadSchema.parse((await post(`/v1/tenants/${tenant}/audit/sth`)).json());
    expect(after.treeSize).toBe(before.treeSize + 1);
    const res = await get(`/v1/tenants/${tenant}/audit/proof/consistency?from=${before.treeSize}&to=${after.treeSize}`);
    expect(res.statusCode).toBe(200);
    const proof = ConsistencyProofSchema.parse(res.json());
    const check = verifyConsistency(before.treeSize, after.treeSize, proof.path.map(fromHex), fromHex(before.rootHash), fromHex(after.rootHash));
    expect(check).toEqual({ ok: true });
    const platform = SignedTreeHeadSchema.parse((await get(`/v1/tenants/${PLATFORM_TENANT_ID}/audit/sth`)).json());
    expect(platform.tenantId).toBe(PLATFORM_TENANT_ID);
    expect(platform.treeSize).toBeGreaterThan(0);
  });

  it('answers proofs outside the tree with 400 tree_size_out_of_range', async () => {
    expectError(await get(`/v1/tenants/${tenant}/audit/proof/inclusion?seq=5&treeSize=4`), 400, 'tree_size_out_of_range');
    expectError(await get(`/v1/tenants/${tenant}/audit/proof/inclusion?seq=1&treeSize=999`), 400, 'tree_size_out_of_range');
    expectError(await get(`/v1/tenants/${tenant}/audit/proof/consistency?from=5&to=3`), 400, 'tree_size_out_of_range');
    expectError(await get(`/v1/tenants/${tenant}/audit/proof/consistency?from=1&to=999`), 400, 'tree_size_out_of_range');
    expectError(await get(`/v1/tenants/${tenant}/audit/proof/inclusion?seq=0&treeSize=4`), 400, 'validation_failed');
  });

  it('answers a proof over a log with a deleted event with 500 audit_log_inconsistent naming the event, no stack, and keeps serving', async () => {
    const id = await createTestTenant(svc.t.db, 'Inconsistent');
    for (let i = 1; i <= 8; i++) await svc.t.db.tenant(id, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: `thing:${i}` }));
    await svc.t.engine.query('DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 3', [id]);
    for (const url of [`/v1/tenants/${id}/audit/proof/inclusion?seq=6&treeSize=8`, `/v1/tenants/${id}/audit/proof/consistency?from=5&to=8`]) {
      const res = await get(url);
      expectError(res, 500, 'audit_log_inconsistent');
      const body = ApiErrorBodySchema.parse(res.json());
      expect(body.error.details).toEqual({ seq: 3 });
      expect(body.error.message).toBe('The stored audit log is inconsistent: event 3 is missing, so no proof over it can be computed.');
    }
    expect((await get(`/v1/tenants/${id}/audit/proof/inclusion?seq=1&treeSize=2`)).statusCode).toBe(200);
  });

  it('exports the log as NDJSON, in batches, as it stood when the export began', async () => {
    const id = await createTestTenant(svc.t.db, 'Exported');
    await svc.t.db.tenant(id, async (tx) => {
      for (let i = 1; i <= 2100; i++) await appendAuditEvent(tx, { actor, action: 'thing.done', target: `thing:${i}`, personal: { note: `n${i}` } });
    });
    const res = await get(`/v1/tenants/${id}/audit/export?format=ndjson`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="audit-${id}-2100.ndjson"`);
    const lines = res.body.split('\n');
    expect(lines.pop()).toBe('');
    const events = lines.map((l) => AuditEventSchema.parse(JSON.parse(l)));
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 2100 }, (_, i) => i + 1));
    expect(events[1999]?.personal?.data).toEqual({ note: 'n2000' });
    const page = AuditEventPageSchema.parse((await get(`/v1/tenants/${id}/audit/events?limit=3`)).json());
    expect(events.slice(0, 3)).toEqual(page.items);
  });

  it('exports CSV with a header, quoted cells and a time range', async () => {
    const id = await createTestTenant(svc.t.db, 'CSV');
    const first = await svc.t.db.tenant(id, (tx) =>
      appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:1', details: { a: 1 }, personal: { name: '=cmd(), "quoted"' } }),
    );
    await new Promise((r) => setTimeout(r, 5));
    const second = await svc.t.db.tenant(id, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:2' }));
    const res = await get(`/v1/tenants/${id}/audit/export?format=csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="audit-${id}-2.csv"`);
    const rows = res.body.split('\r\n');
    expect(rows[0]).toBe('seq,at,tenantId,actorType,actorId,action,target,outcome,requestId,details,personalCommitment,personal');
    expect(rows[1]).toBe(
      `1,${first.at},${id},operator,op-1,thing.done,thing:1,success,,"{""a"":1}",${first.personalCommitment},"${JSON.stringify(first.personal).replace(/"/g, '""')}"`,
    );
    expect(rows.length).toBe(4);
    const ranged = await get(`/v1/tenants/${id}/audit/export?format=csv&from=${encodeURIComponent(second.at)}`);
    expect(ranged.body.split('\r\n').slice(1, -1).map((r) => r.split(',')[0])).toEqual(['2']);
  });

  it('refuses an unknown export format with 400 validation_failed', async () => {
    expectError(await get(`/v1/tenants/${tenant}/audit/export?format=xlsx`), 400, 'validation_failed');
    expectError(await get(`/v1/tenants/${tenant}/audit/export`), 400, 'validation_failed');
    expectError(await get(`/v1/tenants/${other}/audit/export?format=csv`, reviewerToken), 403, 'forbidden');
  });

  it('signs a head on its own for every log that grew, within the interval', async () => {
    const id = await createTestTenant(svc.t.db, 'Timed');
    await svc.t.db.tenant(id, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:1' }));
    const sizes = () => svc.t.engine.query<{ tree_size: string }>('SELECT tree_size FROM audit_tree_heads WHERE tenant_id = $1', [id]);
    for (let i = 0; i < 50 && (await sizes()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await sizes()).map((r) => Number(r.tree_size))).toEqual([1]);
  });
});
