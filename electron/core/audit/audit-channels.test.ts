import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { AuditEventSchema, toHex } from '../../../shared/audit/event';
import { MerkleFrontier } from '../../../shared/audit/merkle';
import { toBase64, treeHeadMessage } from '../../../shared/audit/tree-head';
import type { AuditEventPage } from '../../../shared/audit/api';
import type { AuditAlert, AuditExportResult, AuditProgress, AuditStatus, EventVerification, VerifyLogResult } from '../../../shared/ipc/audit';
import { PLATFORM_AUDIT_LOG } from '../../../shared/ipc/audit';
import type { IpcChannel } from '../../../shared/ipc/contract';
import { TOTP_POLICY } from '../../../shared/policy/identity';
import type { TenantId } from '../../../shared/tenants/tenant';
import { appendAuditEvent, currentTree } from '../../../service/audit/audit-log';
import { ephemeralAuditSigner, type AuditSigner } from '../../../service/audit/signing-key';
import { listTreeHeads } from '../../../service/audit/tree-heads';
import { ephemeralKeyRing } from '../../../service/crypto/key-ring';
import { buildServer } from '../../../service/http/server';
import { argon2Hasher, ARGON2_TEST_PARAMS, type PasswordHasher } from '../../../service/identity/passwords';
import { currentCode } from '../../../service/identity/totp';
import { openTestDatabase, removeTempDirs, tempDir, TEST_ENGINES, type TestDatabase } from '../../../service/testing/databases';
import { createTestTenant, createTestUser, type TestUser } from '../../../service/testing/identity-fixtures';
import { ensureCertificate } from '../../../service/tls/certificate';
import { createConsoleCore, type ConsoleCore } from '../console-core';
import { createMemoryVault } from '../vault/memory-vault';
import { nodeMerkleHasher } from './audit-verifier';

const actor = { type: 'user', id: 'u-audit-test' } as const;

/**
 * The audit channels, driven through the console core (the renderer's IPC) against
 * the real service over HTTPS on each storage engine; tampering goes straight to
 * the database as its owner, past the service's role, as an insider with database
 * access would.
 */
describe.each(TEST_ENGINES)('audit channels against the real service on %s', (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let port = 0;
  let url = '';
  let fingerprint = '';
  let clock = new Date();
  const keys = ephemeralKeyRing();
  let hasher: PasswordHasher;
  let tls: { key: string; cert: string; fingerprint: string };
  let officer: TestUser;
  const cores: ConsoleCore[] = [];
  /** Paths the service was asked for. */
  const requested: string[] = [];

  /** (Re)starts the service on the same database and port, signing tree heads with `signer`. */
  const startService = async (signer: AuditSigner) => {
    app = await buildServer({ db: t.db, keys, hasher, tls: { key: tls.key, cert: tls.cert }, logger: false, now: () => clock, auditSigner: signer, treeHeadIntervalMs: 3_600_000 });
    app.addHook('onRequest', async (request) => {
      requested.push(request.url);
    });
    await app.listen({ port, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
    url = `https://127.0.0.1:${port}`;
  };

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    hasher = await argon2Hasher(ARGON2_TEST_PARAMS);
    tls = await ensureCertificate(tempDir('attest-audit-channels-'), { now: () => clock });
    fingerprint = tls.fingerprint;
    await startService(ephemeralAuditSigner());
    officer = await createTestUser(t.db, keys, hasher, { platformRoles: ['security_officer'] });
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
    removeTempDirs();
  });

  const code = async (secret: Uint8Array | null) => {
    clock = new Date(clock.getTime() + TOTP_POLICY.period * 1000);
    return currentCode(secret!, clock);
  };

  /** A console (its own data directory) signed in as `person` (default: the security officer). */
  const signedInConsole = async (person?: TestUser) => {
    const who = person ?? officer;
    const core = createConsoleCore({ serviceUrl: url, fingerprint, vault: createMemoryVault(), mode: 'browser', probeIntervalMs: 0, dataDir: tempDir('attest-audit-console-') });
    cores.push(core);
    const call = async <T>(channel: IpcChannel, input: unknown = {}): Promise<T> => {
      const result = (await core.dispatch(channel, input)) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
      if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
      return result.value;
    };
    await call('auth.login', { email: who.email, password: who.password });
    await call('auth.verify', { code: await code(who.secret) });
    const progress: AuditProgress[] = [];
    core.subscribe((event, payload) => {
      if (event === 'audit.progress') progress.push(payload as AuditProgress);
    });
    return {
      call,
      progress,
      status: (tenantId: string) => call<AuditStatus>('audit.status', { tenantId, refresh: true }),
      verifyEvent: (tenantId: string, seq: number) => call<EventVerification>('audit.verifyEvent', { tenantId, seq }),
      verifyLog: (tenantId: string) => call<VerifyLogResult>('audit.verifyLog', { tenantId, source: 'service' }),
    };
  };

  /** A tenant whose log holds `events` events (thing.done with personal data; tenant.created goes to the platform's log), with a signed head over all of them. */
  const loggedTenant = async (events: number): Promise<TenantId> => {
    const tenantId = await createTestTenant(t.db);
    for (let i = 1; i <= events; i++) {
      await t.db.tenant(tenantId, (tx) =>
        appendAuditEvent(tx, { actor, action: 'thing.done', target: `thing:${i}`, details: { i }, personal: { ip: `192.0.2.${i}` }, requestId: `req-${i}` }),
      );
    }
    await t.db.tenant(tenantId, async (tx) => expect((await tx.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_events WHERE tenant_id = $1', [tenantId]))[0]?.n).toBe(String(events)));
    return tenantId;
  };

  /** A console that has verified the log as it stands (head, one event, the whole log) before any tampering. */
  const verifiedConsole = async (tenantId: TenantId, events: number) => {
    const c = await signedInConsole();
    expect((await c.status(tenantId)).verifiedHead?.treeSize).toBe(events);
    expect(await c.verifyLog(tenantId)).toMatchObject({ ok: true, eventsChecked: events, firstBadSeq: null });
    return c;
  };

  const tamper = (sql: string, params: unknown[]) => t.engine.query(sql, params);
  const openAlerts = (status: AuditStatus): AuditAlert[] => status.alerts.filter((a) => a.dismissal === null);

  it('lets a read-only auditor verify the whole log against the latest head, without making the service sign one', async () => {
    const tenantId = await loggedTenant(5);
    await signedInConsole().then((c) => c.verifyLog(tenantId));
    await t.db.tenant(tenantId, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:6' }));
    const auditor = await createTestUser(t.db, keys, hasher, { platformRoles: ['auditor'] });
    const c = await signedInConsole(auditor);
    requested.length = 0;
    expect(await c.verifyLog(tenantId)).toMatchObject({ ok: true, eventsChecked: 5, firstBadSeq: null });
    expect(requested.filter((path) => path.endsWith('/audit/sth'))).toEqual([`/v1/tenants/${tenantId}/audit/sth`, `/v1/tenants/${tenantId}/audit/sth`]);
  });

  it('signs in, records the keys first seen, verifies the head, a page, an event and the whole log', async () => {
    const tenantId = await loggedTenant(12);
    const c = await signedInConsole();
    const status = await c.status(tenantId);
    expect(status).toMatchObject({ tenantId, verifiedHead: { tenantId, treeSize: 12 }, alerts: [], refreshError: null });
    expect(status.keys).toHaveLength(1);
    expect(status.keys[0]).toMatchObject({ retiredAt: null, firstSeenAt: expect.any(String) });

    const page = await c.call<{ items: { seq: number }[]; nextCursor: string | null }>('audit.events', { tenantId, limit: 5 });
    expect(page.items.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(page.nextCursor).toBe('5');
    const filtered = await c.call<{ items: { seq: number; target: string }[] }>('audit.events', { tenantId, target: 'thing:7', limit: 10 });
    expect(filtered.items.map((e) => e.seq)).toEqual([7]);

    for (const seq of [1, 7, 12]) {
      const checked = await c.verifyEvent(tenantId, seq);
      expect(checked).toMatchObject({ state: 'verified', seq, treeSize: 12, reason: null, event: { seq, tenantId } });
    }
    expect(await c.verifyLog(tenantId)).toMatchObject({ ok: true, source: 'service', treeSize: 12, eventsChecked: 12, firstBadSeq: null });

    // The platform's own log, under the nil UUID.
    const platform = await c.status(PLATFORM_AUDIT_LOG);
    expect(platform.verifiedHead?.treeSize).toBeGreaterThan(0);
    expect(await c.verifyEvent(PLATFORM_AUDIT_LOG, 1)).toMatchObject({ state: 'verified' });
    expect(await c.verifyLog(PLATFORM_AUDIT_LOG)).toMatchObject({ ok: true, firstBadSeq: null });
  });

  it("detects one event's details changed, naming it", async () => {
    const tenantId = await loggedTenant(10);
    const c = await verifiedConsole(tenantId, 10);
    await tamper(`UPDATE audit_events SET details = '{"i": 50}'::jsonb WHERE tenant_id = $1 AND seq = 5`, [tenantId]);
    expect(await c.verifyEvent(tenantId, 5)).toMatchObject({ state: 'failed', seq: 5, reason: expect.stringMatching(/^event 5 as served is not in the verified tree/) });
    expect(await c.verifyEvent(tenantId, 6)).toMatchObject({ state: 'verified' });
    expect(await c.verifyLog(tenantId)).toMatchObject({ ok: false, firstBadSeq: 5, reason: expect.stringMatching(/^event 5 differs/) });
    const [alert] = openAlerts(await c.status(tenantId));
    expect(alert).toMatchObject({ code: 'audit_integrity_failed', tenantId, firstBadSeq: 5 });
  });

  it('detects a changed event whose leaf hash and tree state were recomputed too', async () => {
    const tenantId = await loggedTenant(9);
    const c = await verifiedConsole(tenantId, 9);
    await tamper(`UPDATE audit_events SET outcome = 'denied', leaf_hash = sha256('forged') WHERE tenant_id = $1 AND seq = 6`, [tenantId]);
    expect(await c.verifyEvent(tenantId, 6)).toMatchObject({ state: 'failed', seq: 6 });
    expect(await c.verifyLog(tenantId)).toMatchObject({ ok: false, firstBadSeq: 6 });
  });

  it('detects a deleted event', async () => {
    const tenantId = await loggedTenant(8);
    const c = await verifiedConsole(tenantId, 8);
    await tamper('DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 3', [tenantId]);
    expect(await c.verifyEvent(tenantId, 3)).toMatchObject({ state: 'failed', seq: 3, event: null });
    expect(await c.verifyLog(tenantId)).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'event 3 is missing: the log jumps from 2 to 4.' });
  });

  it('reports a log the service can no longer prove (an event row deleted) as an integrity failure at the missing event', async () => {
    const tenantId = await loggedTenant(6);
    const c = await verifiedConsole(tenantId, 6);
    await tamper('DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 3', [tenantId]);
    // Event 5 is intact, but its inclusion proof needs event 3.
    expect(await c.verifyEvent(tenantId, 5)).toMatchObject({ state: 'failed', seq: 5, reason: expect.stringMatching(/event 3 is missing/) });
    let alert = openAlerts(await c.status(tenantId)).find((a) => a.firstBadSeq === 3 && /inclusion proof/.test(a.message));
    expect(alert).toMatchObject({ code: 'audit_integrity_failed', tenantId });
    // The log grows to 8; the consistency proof from the verified 6 needs event 3 too, so 8 is not accepted.
    for (const i of [7, 8]) await t.db.tenant(tenantId, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: `thing:${i}` }));
    expect(await c.verifyEvent(tenantId, 8)).toMatchObject({ state: 'not_covered', seq: 8, treeSize: 6 });
    const status = await c.status(tenantId);
    alert = openAlerts(status).find((a) => a.firstBadSeq === 3 && /consistency proof/.test(a.message));
    expect(alert).toMatchObject({ code: 'audit_integrity_failed', tenantId });
    expect(status.verifiedHead?.treeSize).toBe(6);
  });

  it('detects two swapped events', async () => {
    const tenantId = await loggedTenant(8);
    const c = await verifiedConsole(tenantId, 8);
    for (const [from, to] of [
      [2, 1000],
      [6, 2],
      [1000, 6],
    ]) {
      await tamper('UPDATE audit_events SET seq = $3 WHERE tenant_id = $1 AND seq = $2', [tenantId, from, to]);
    }
    expect(await c.verifyLog(tenantId)).toMatchObject({ ok: false, firstBadSeq: 2 });
    expect(await c.verifyEvent(tenantId, 6)).toMatchObject({ state: 'failed', seq: 6 });
  });

  it('detects a truncated tail, and a tail truncated with the tree state and heads rolled back', async () => {
    const tenantId = await loggedTenant(8);
    const c = await verifiedConsole(tenantId, 8);
    await tamper('DELETE FROM audit_events WHERE tenant_id = $1 AND seq > 6', [tenantId]);
    expect(await c.verifyLog(tenantId)).toMatchObject({ ok: false, firstBadSeq: 7 });

    await tamper('DELETE FROM audit_personal WHERE tenant_id = $1 AND seq > 6', [tenantId]);
    await tamper('DELETE FROM audit_tree_heads WHERE tenant_id = $1', [tenantId]);
    // A tree of 6 leaves: the frontier is the roots of its perfect subtrees (4 and 2); recompute it from the stored leaves.
    const leaves = await t.engine.query<{ leaf_hash: Uint8Array }>('SELECT leaf_hash FROM audit_events WHERE tenant_id = $1 ORDER BY seq', [tenantId]);
    const frontier = new MerkleFrontier(nodeMerkleHasher());
    for (const l of leaves) frontier.append(Uint8Array.from(l.leaf_hash));
    await tamper('UPDATE audit_sequences SET next_seq = 7, frontier = $2 WHERE tenant_id = $1', [tenantId, Buffer.concat(frontier.hashes())]);
    const status = await c.status(tenantId);
    expect(openAlerts(status).find((a) => a.firstBadSeq === 7 && /shrank/.test(a.message))).toMatchObject({ code: 'audit_integrity_failed', tenantId });
    expect(status.verifiedHead?.treeSize).toBe(8);
  });

  it('rejects a tree head re-signed with another key, and one whose signature does not verify under the key it names', async () => {
    const tenantId = await loggedTenant(6);
    const c = await verifiedConsole(tenantId, 6);
    // The insider appends an event and signs a head over the log with a key of their own.
    await t.db.tenant(tenantId, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:7' }));
    const other = ephemeralAuditSigner();
    const forge = async (signer: AuditSigner, keyId: string) => {
      const heads = await t.db.tenant(tenantId, listTreeHeads);
      const latest = heads.at(-1)!;
      const unsigned = { ...latest, treeSize: 7, keyId };
      await tamper('DELETE FROM audit_tree_heads WHERE tenant_id = $1 AND tree_size = 7', [tenantId]);
      const rootHash = toHex((await t.db.tenant(tenantId, currentTree)).root);
      const head = { ...unsigned, rootHash, timestamp: new Date(clock.getTime() + 1000).toISOString() };
      await tamper('INSERT INTO audit_tree_heads (tenant_id, tree_size, root_hash, issued_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)', [
        tenantId,
        7,
        rootHash,
        head.timestamp,
        keyId,
        toBase64(signer.sign(treeHeadMessage(head))),
      ]);
    };
    await forge(other, other.keyId);
    const afterForeign = await c.status(tenantId);
    expect(openAlerts(afterForeign)).toEqual([
      expect.objectContaining({ code: 'audit_key_changed', tenantId, message: expect.stringContaining(`signed by key ${other.keyId}, which the console has never accepted`) }),
    ]);
    expect(afterForeign.verifiedHead?.treeSize).toBe(6);
    expect(afterForeign.keys).toHaveLength(1);

    const published = afterForeign.keys[0]!.keyId;
    await forge(other, published);
    const afterBad = await c.status(tenantId);
    expect(openAlerts(afterBad).find((a) => a.code === 'audit_integrity_failed')).toMatchObject({
      tenantId,
      message: expect.stringContaining(`tree head of size 7 has a bad signature (key ${published})`),
    });
    expect(afterBad.verifiedHead?.treeSize).toBe(6);
  });

  it('accepts a rotated signing key without an alarm: the rotation is published and the old key stays', async () => {
    const tenantId = await loggedTenant(5);
    const c = await verifiedConsole(tenantId, 5);
    const before = (await c.status(tenantId)).keys;
    await app.close();
    const rotated = ephemeralAuditSigner();
    await startService(rotated);
    // The connection kept alive to the stopped service is dead; the probe finds out, as the console's periodic one would.
    await c.call('connection.retry');
    await t.db.tenant(tenantId, (tx) => appendAuditEvent(tx, { actor, action: 'thing.done', target: 'thing:6' }));
    // The new event is beyond the verified head: the console asks for a fresh one, signed with the new key.
    expect(await c.verifyEvent(tenantId, 6)).toMatchObject({ state: 'verified', treeSize: 6 });
    const after = await c.status(tenantId);
    expect(after.alerts).toEqual([]);
    expect(after.verifiedHead).toMatchObject({ treeSize: 6, keyId: rotated.keyId });
    expect(after.keys.map((k) => k.keyId).sort()).toEqual([before[0]!.keyId, rotated.keyId].sort());
    expect(after.keys.find((k) => k.keyId === before[0]!.keyId)?.retiredAt).toEqual(expect.any(String));
    expect(await c.verifyEvent(tenantId, 2)).toMatchObject({ state: 'verified', treeSize: 6 });
    expect(await c.verifyLog(tenantId)).toMatchObject({ ok: true, eventsChecked: 6 });
  });

  it("exports the service's streamed NDJSON and CSV to the file, with progress, honouring a time range", async () => {
    const tenantId = await createTestTenant(t.db);
    await t.db.tenant(tenantId, async (tx) => {
      for (let i = 1; i <= 2500; i++) {
        // Free text only in the personal part: the hashed details take machine values (service/audit/leaf-values.ts).
        await appendAuditEvent(tx, { actor, action: 'thing.done', target: `thing:${i}`, details: { i }, ...(i === 7 ? { personal: { note: '=1+1, "quoted"' } } : {}) });
      }
    });
    const c = await verifiedConsole(tenantId, 2500);
    c.progress.splice(0);
    requested.splice(0);
    const saved = await c.call<AuditExportResult>('audit.export', { tenantId, format: 'ndjson' });
    if (saved.state !== 'saved') throw new Error('not saved');
    const text = readFileSync(saved.path, 'utf8');
    expect(saved).toMatchObject({ events: 2500, bytes: Buffer.byteLength(text) });
    const lines = text.trimEnd().split('\n').map((line) => AuditEventSchema.parse(JSON.parse(line)));
    expect(lines.map((e) => e.seq)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    // One streamed request, not pages of events.
    expect(requested.filter((u) => u.includes('/audit/'))).toEqual([`/v1/tenants/${tenantId}/audit/export?format=ndjson`]);
    // Progress as the bytes arrive (about every 1000 events, wherever the chunks end), out of the log's size.
    const done = c.progress.map((p) => p.done);
    expect(c.progress.every((p) => p.operation === 'export' && p.phase === 'write' && p.total === 2500)).toBe(true);
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(done).toEqual([...done].sort((x, y) => x - y));
    expect(done.at(-1)).toBe(2500);

    const csv = await c.call<AuditExportResult>('audit.export', { tenantId, format: 'csv' });
    if (csv.state !== 'saved') throw new Error('not saved');
    const rows = readFileSync(csv.path, 'utf8').split('\r\n');
    expect(rows[0]).toBe('seq,at,tenantId,actorType,actorId,action,target,outcome,requestId,details,personalCommitment,personal');
    expect(csv.events).toBe(2500);
    expect(rows[7]).toContain(`"{""i"":7}"`);
    expect(rows[7]).toContain(`""data"":{""note"":""=1+1, \\""quoted\\""""}}"`);

    // A time range: the same events as the events channel lists for it.
    const from = lines[999]!.at;
    const to = lines[1999]!.at;
    const expected: number[] = [];
    for (let cursor: string | null | undefined; cursor !== null; ) {
      const page: AuditEventPage = await c.call('audit.events', { tenantId, from, to, limit: 1000, ...(cursor ? { cursor } : {}) });
      expected.push(...page.items.map((e) => e.seq));
      cursor = page.nextCursor;
    }
    const ranged = await c.call<AuditExportResult>('audit.export', { tenantId, format: 'ndjson', from, to });
    if (ranged.state !== 'saved') throw new Error('not saved');
    const rangedSeqs = readFileSync(ranged.path, 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { seq: number }).seq);
    expect(rangedSeqs).toEqual(expected);
    expect(ranged.events).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(0);
  });
});
