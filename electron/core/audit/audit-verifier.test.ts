import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditAlert, AuditProgress } from '../../../shared/ipc/audit';
import { AUDIT_CACHE_DIR, cachedAuditSource } from './audit-cache';
import { newTestKey, signHead, TestLog } from './audit-log.fixture';
import { AUDIT_STATE_FILE, createAuditStateStore } from './audit-state';
import { createAuditVerifier } from './audit-verifier';

const TENANT = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(log = new TestLog(TENANT, 300), dir = mkdtempSync(join(tmpdir(), 'attest-audit-'))) {
  dirs.push(dir);
  const alerts: AuditAlert[] = [];
  const store = createAuditStateStore(dir);
  const verifier = createAuditVerifier({ store, dataDir: dir, onAlert: (a) => alerts.push(a), pageSize: 128 });
  return { log, dir, store, verifier, alerts, source: log.source(), cache: cachedAuditSource(dir, store) };
}

const progressOf = () => {
  const seen: Omit<AuditProgress, 'operation' | 'tenantId'>[] = [];
  return { seen, listener: (p: (typeof seen)[number]) => seen.push(p) };
};

describe('audit verifier: tree heads and keys', () => {
  it('accepts a correctly signed first head, remembers it and the keys across restarts, written atomically', async () => {
    const { log, dir, verifier, source } = setup();
    const check = await verifier.checkTreeHead(TENANT, source);
    expect(check).toMatchObject({ ok: true, head: { treeSize: 300 } });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const restarted = createAuditVerifier({ store: createAuditStateStore(dir), dataDir: dir });
    const status = await restarted.status(TENANT);
    expect(status.verifiedHead).toEqual(log.head());
    expect(status.keys.map((k) => k.keyId)).toEqual([log.signer.key.keyId]);
    expect(status.alerts).toEqual([]);
  });

  it('advances only along a valid consistency proof, and remembers the newer head', async () => {
    const { log, verifier, source, alerts } = setup();
    await verifier.checkTreeHead(TENANT, source);
    log.append(77);
    expect(await verifier.checkTreeHead(TENANT, source)).toMatchObject({ ok: true, head: { treeSize: 377 } });
    expect(log.calls).toContain('consistencyProof');
    expect((await verifier.status(TENANT)).verifiedHead?.treeSize).toBe(377);
    expect(alerts).toEqual([]);
  });

  it('raises an integrity alert when the history under the verified head was rewritten and re-signed with a new key', async () => {
    const { log, verifier, source, alerts } = setup();
    await verifier.checkTreeHead(TENANT, source);
    // A compromised service changes event 42, rebuilds its tree, and signs with a freshly published key.
    log.rewrite(42, { n: 42, role: 'owner' });
    log.append(10);
    const attacker = newTestKey();
    log.published.push(attacker.key);
    log.signer = attacker;
    const check = await verifier.checkTreeHead(TENANT, source);
    expect(check.ok).toBe(false);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ code: 'audit_integrity_failed', tenantId: TENANT, dismissal: null });
    expect(alerts[0]!.message).toMatch(/does not extend the verified tree of 300/);
    expect((await verifier.status(TENANT)).verifiedHead?.treeSize).toBe(300);
  });

  it('rejects a head re-signed by another key under the known key id', async () => {
    const { log, verifier, source, alerts } = setup();
    await verifier.checkTreeHead(TENANT, source);
    log.append(5);
    const forged = log.head(log.size, newTestKey());
    log.headOverride = { ...forged, keyId: log.signer.key.keyId, signature: signHead(TENANT, log.size, forged.rootHash, newTestKey()).signature };
    const check = await verifier.checkTreeHead(TENANT, source);
    expect(check).toMatchObject({ ok: false, alert: { code: 'audit_integrity_failed' } });
    expect(alerts[0]!.message).toMatch(/tree head of size 305 has a bad signature/);
    expect((await verifier.status(TENANT)).verifiedHead?.treeSize).toBe(300);
  });

  it('rejects a head signed by a key the service does not publish, as a key warning', async () => {
    const { log, verifier, source, alerts } = setup();
    await verifier.checkTreeHead(TENANT, source);
    log.append(1);
    log.headOverride = log.head(log.size, newTestKey());
    const check = await verifier.checkTreeHead(TENANT, source);
    expect(check).toMatchObject({ ok: false, alert: { code: 'audit_key_changed', tenantId: TENANT } });
    expect(alerts[0]!.message).toMatch(/never accepted/);
  });

  it('accepts a rotated key that appears under its own id, without an alert', async () => {
    const { log, verifier, source, alerts } = setup();
    await verifier.checkTreeHead(TENANT, source);
    const next = newTestKey('2026-02-01T00:00:00.000Z');
    log.published = [{ ...log.signer.key, retiredAt: '2026-02-01T00:00:00.000Z' }, next.key];
    log.signer = next;
    log.append(3);
    expect(await verifier.checkTreeHead(TENANT, source)).toMatchObject({ ok: true, head: { treeSize: 303, keyId: next.key.keyId } });
    const status = await verifier.status(TENANT);
    expect(status.keys.map((k) => [k.keyId, k.retiredAt])).toEqual([
      [log.published[0]!.keyId, '2026-02-01T00:00:00.000Z'],
      [next.key.keyId, null],
    ]);
    expect(alerts).toEqual([]);
  });

  it('warns loudly when a known key id changes its public key or vanishes, and keeps the key first seen', async () => {
    const { log, verifier, source, alerts } = setup();
    await verifier.checkTreeHead(TENANT, source);
    const original = log.signer.key;
    const impostor = newTestKey();
    log.published = [{ ...original, publicKey: impostor.key.publicKey }];
    await verifier.refreshKeys(source);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ code: 'audit_key_changed', tenantId: null });
    expect(alerts[0]!.message).toContain(original.keyId);
    // Heads signed with the new key under the old id stay rejected.
    log.append(2);
    log.headOverride = { ...log.head(log.size, impostor), keyId: original.keyId };
    log.headOverride.signature = signHead(TENANT, log.size, log.headOverride.rootHash, impostor, original.keyId).signature;
    expect(await verifier.checkTreeHead(TENANT, source)).toMatchObject({ ok: false, alert: { code: 'audit_integrity_failed' } });

    log.published = [];
    await verifier.refreshKeys(source);
    expect(alerts.map((a) => a.code)).toEqual(['audit_key_changed', 'audit_integrity_failed', 'audit_key_changed']);
    expect(alerts[2]!.message).toMatch(/no longer published/);
    expect((await verifier.status(TENANT)).keys.map((k) => k.keyId)).toEqual([original.keyId]);
  });

  it('raises an alert naming the first removed event when the log shrinks', async () => {
    const { log, verifier, source, alerts } = setup();
    await verifier.checkTreeHead(TENANT, source);
    log.headOverride = log.head(290);
    expect(await verifier.checkTreeHead(TENANT, source)).toMatchObject({ ok: false, alert: { firstBadSeq: 291 } });
    expect(alerts[0]!.message).toMatch(/shrank/);
  });

  it('keeps an alert until it is dismissed with a note, never raises the same open alert twice, and keeps the note', async () => {
    const { log, dir, verifier, source, alerts } = setup();
    await verifier.checkTreeHead(TENANT, source);
    log.headOverride = log.head(290);
    await verifier.checkTreeHead(TENANT, source);
    await verifier.checkTreeHead(TENANT, source);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect((await verifier.status(TENANT)).alerts).toEqual([alert]);

    const dismissed = await verifier.dismissAlert(alert!.id, '  Restored from backup; incident INC-7 opened.  ');
    expect(dismissed.dismissal?.note).toBe('Restored from backup; incident INC-7 opened.');
    await expect(verifier.dismissAlert(alert!.id, 'again, for good measure')).rejects.toMatchObject({ code: 'conflict' });
    await expect(verifier.dismissAlert('00000000-0000-4000-8000-000000000000', 'no such alert here')).rejects.toMatchObject({ code: 'not_found' });

    const saved = JSON.parse(readFileSync(join(dir, AUDIT_STATE_FILE), 'utf8')) as { alerts: AuditAlert[] };
    expect(saved.alerts[0]!.dismissal?.note).toBe('Restored from backup; incident INC-7 opened.');
    // Once dismissed, the same failure raises a new alert.
    await verifier.checkTreeHead(TENANT, source);
    expect(alerts).toHaveLength(2);
  });

  it('refuses to start over on a damaged record instead of forgetting what was verified', async () => {
    const { dir, verifier, source } = setup();
    await verifier.checkTreeHead(TENANT, source);
    writeFileSync(join(dir, AUDIT_STATE_FILE), '{"version":1,"keys":[');
    const fresh = createAuditVerifier({ store: createAuditStateStore(dir), dataDir: dir });
    await expect(fresh.status(TENANT)).rejects.toMatchObject({ code: 'audit_integrity_failed' });
  });
});

describe('audit verifier: inclusion of one event', () => {
  it('verifies an event by recomputing its leaf, and fails an altered one against the verified head', async () => {
    const { log, verifier, source, alerts } = setup();
    expect(await verifier.verifyEvent(TENANT, 137, source)).toMatchObject({ state: 'verified', seq: 137, treeSize: 300, event: { seq: 137 } });
    log.served[136] = { ...log.served[136]!, outcome: 'success', details: { n: 137, role: 'owner' } };
    const failed = await verifier.verifyEvent(TENANT, 137, source);
    expect(failed).toMatchObject({ state: 'failed', seq: 137 });
    expect(failed.reason).toMatch(/not in the verified tree of 300/);
    expect(alerts[0]).toMatchObject({ code: 'audit_integrity_failed', firstBadSeq: 137 });
    expect((await verifier.verifyEvent(TENANT, 138, source)).state).toBe('verified');
  });

  it('fails an event whose personal data no longer matches its commitment, and verifies an erased one', async () => {
    const { log, verifier, source } = setup();
    log.served[9] = { ...log.served[9]!, personal: { ...log.served[9]!.personal!, data: { email: 'someone-else@example.com' } } };
    expect(await verifier.verifyEvent(TENANT, 10, source)).toMatchObject({ state: 'failed', reason: expect.stringMatching(/personal data/) });
    log.served[10] = { ...log.served[10]!, personal: null };
    expect(await verifier.verifyEvent(TENANT, 11, source)).toMatchObject({ state: 'verified', event: { personal: null } });
  });

  it('says an event newer than the verified head is not covered yet', async () => {
    const { log, verifier, source } = setup();
    log.headOverride = log.head(300);
    log.append(5);
    expect(await verifier.verifyEvent(TENANT, 303, source)).toMatchObject({ state: 'not_covered', treeSize: 300 });
  });
});

describe('audit verifier: Verify log', () => {
  it('recomputes the root of an intact log, reports progress, and runs again offline on the cached copy', async () => {
    const { verifier, source, cache, dir, alerts } = setup(new TestLog(TENANT, 1000));
    const progress = progressOf();
    const result = await verifier.verifyLog(TENANT, source, progress.listener);
    expect(result).toMatchObject({ ok: true, source: 'service', treeSize: 1000, eventsChecked: 1000, firstBadSeq: null, reason: null });
    expect(progress.seen.at(-1)).toEqual({ phase: 'download', done: 1000, total: 1000 });
    expect(progress.seen.length).toBeGreaterThan(5);
    expect(readdirSync(join(dir, AUDIT_CACHE_DIR))).toEqual([`${TENANT}.ndjson`]);

    const offline = await verifier.verifyLog(TENANT, cache);
    expect(offline).toMatchObject({ ok: true, source: 'cache', treeSize: 1000, eventsChecked: 1000 });
    expect(alerts).toEqual([]);
  });

  const tamperCases: [string, (log: TestLog) => void, number, RegExp][] = [
    ['an altered event', (log) => void (log.served[136] = { ...log.served[136]!, details: { n: 137, role: 'owner' } }), 137, /event 137 differs/],
    ['a dropped event', (log) => void log.served.splice(49, 1), 50, /event 50 is missing/],
    [
      'two swapped events (contents exchanged, sequence numbers kept)',
      (log) => {
        const a = log.served[19]!;
        const b = log.served[29]!;
        log.served[19] = { ...b, seq: 20 };
        log.served[29] = { ...a, seq: 30 };
      },
      20,
      /event 20 differs/,
    ],
    [
      'two swapped rows',
      (log) => {
        const a = log.served[19]!;
        log.served[19] = log.served[29]!;
        log.served[29] = a;
      },
      20,
      /event 20 is missing/,
    ],
    ['a truncated tail', (log) => void log.served.splice(295), 296, /tail from 296 on is missing/],
    [
      'altered personal data',
      (log) => void (log.served[7] = { ...log.served[7]!, personal: { ...log.served[7]!.personal!, data: { ip: '203.0.113.9' } } }),
      8,
      /personal data does not match/,
    ],
  ];

  it.each(tamperCases)('detects %s and names the first bad position', async (_name, tamper, firstBad, reason) => {
    const { log, verifier, source, alerts } = setup();
    await verifier.checkTreeHead(TENANT, source);
    tamper(log);
    const result = await verifier.verifyLog(TENANT, source);
    expect(result).toMatchObject({ ok: false, firstBadSeq: firstBad, treeSize: 300 });
    expect(result.reason).toMatch(reason);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ code: 'audit_integrity_failed', tenantId: TENANT, firstBadSeq: firstBad });
  });

  it('finds the first bad event of a large log in a logarithmic number of proofs', async () => {
    const { log, verifier, source } = setup(new TestLog(TENANT, 5000));
    await verifier.checkTreeHead(TENANT, source);
    log.served[4020] = { ...log.served[4020]!, target: 'member:someone-else' };
    const progress = progressOf();
    const result = await verifier.verifyLog(TENANT, source, progress.listener);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 4021 });
    const proofs = log.calls.filter((c) => c === 'consistencyProof').length;
    expect(proofs).toBeLessThanOrEqual(Math.ceil(Math.log2(5000)));
    expect(progress.seen.filter((p) => p.phase === 'locate').length).toBe(proofs);
  });

  it('detects a tampered offline copy without the service', async () => {
    const { verifier, source, cache, dir, alerts } = setup();
    await verifier.verifyLog(TENANT, source);
    const path = join(dir, AUDIT_CACHE_DIR, `${TENANT}.ndjson`);
    const lines = readFileSync(path, 'utf8').split('\n');
    const altered = JSON.parse(lines[99]!) as { seq: number; outcome: string };
    expect(altered.seq).toBe(100);
    lines[99] = JSON.stringify({ ...altered, outcome: altered.outcome === 'denied' ? 'success' : 'denied' });
    writeFileSync(path, lines.join('\n'));
    const result = await verifier.verifyLog(TENANT, cache);
    expect(result).toMatchObject({ ok: false, source: 'cache', firstBadSeq: null });
    expect(result.reason).toMatch(/could not be located .*reconnect/);
    expect(alerts).toHaveLength(1);

    // A gap is found before the root is even compared.
    lines.splice(120, 1);
    writeFileSync(path, lines.join('\n'));
    expect(await verifier.verifyLog(TENANT, cache)).toMatchObject({ ok: false, firstBadSeq: 121, reason: expect.stringMatching(/event 121 is missing/) });
  });

  it('cannot verify a log offline that was never verified online', async () => {
    const { verifier, cache } = setup();
    await expect(verifier.verifyLog(TENANT, cache)).rejects.toMatchObject({ code: 'not_found' });
  });
});
