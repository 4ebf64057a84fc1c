import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64, keyIdOf } from '../../shared/audit/tree-head';
import { openTestDatabase, removeTempDirs, tempDir, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { listAuditKeys, loadOrCreateAuditSigner, publishAuditKey, rotateAuditSigningKey, signingKeyPath } from './signing-key';

describe('the audit signing key file', () => {
  afterAll(removeTempDirs);

  it('is created owner-only on first load and reused afterwards', async () => {
    const dir = tempDir();
    const first = await loadOrCreateAuditSigner(dir);
    const path = signingKeyPath(dir);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(first.keyId).toBe(keyIdOf(first.publicKey));
    expect((await loadOrCreateAuditSigner(dir)).keyId).toBe(first.keyId);
  });

  it('rotates to a new key; the old private key is gone from the directory', async () => {
    const dir = tempDir();
    const old = await loadOrCreateAuditSigner(dir);
    const next = await rotateAuditSigningKey(dir);
    expect(next.keyId).not.toBe(old.keyId);
    expect((await loadOrCreateAuditSigner(dir)).keyId).toBe(next.keyId);
    if (process.platform !== 'win32') expect(statSync(signingKeyPath(dir)).mode & 0o777).toBe(0o600);
  });
});

describe.each(TEST_ENGINES)('published audit keys on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(() => t.dispose());

  it('keeps retired keys published, with the time they stopped signing', async () => {
    const dir = tempDir();
    const old = await loadOrCreateAuditSigner(dir);
    await t.db.platform((tx) => publishAuditKey(tx, old, new Date('2026-01-01T00:00:00Z')));
    await t.db.platform((tx) => publishAuditKey(tx, old, new Date('2026-01-02T00:00:00Z')));
    const next = await rotateAuditSigningKey(dir);
    await t.db.platform((tx) => publishAuditKey(tx, next, new Date('2026-02-01T00:00:00Z')));
    const keys = await t.db.platform(listAuditKeys);
    expect(keys.map((k) => [k.keyId, k.createdAt, k.retiredAt])).toEqual([
      [old.keyId, '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
      [next.keyId, '2026-02-01T00:00:00.000Z', null],
    ]);
    expect(keys.map((k) => Buffer.from(fromBase64(k.publicKey)))).toEqual([Buffer.from(old.publicKey), Buffer.from(next.publicKey)]);
  });
});
