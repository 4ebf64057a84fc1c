import { readFileSync, statSync } from 'node:fs';
import { AuditKeyListSchema, SignedTreeHeadSchema, treeHeadSignatureProblem } from '../../shared/audit/tree-head';
import { loadOrCreateAuditSigner } from '../audit/signing-key';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantListSchema } from '../../shared/api/endpoints';
import { openPgliteEngine } from '../db/pglite-engine';
import { OperatorAlreadyExistsError } from '../operators/first-operator';
import { copyPgliteTemplate, createPostgresDatabase, removeTempDirs, tempDir, TEST_ENGINES, type TestPostgresDatabase } from '../testing/databases';
import { connectPinned, pinnedRequest, PinMismatchError } from '../testing/pinned-https';
import { spkiFingerprint } from '../tls/spki-fingerprint';
import { pgliteDir } from './data-dir';
import { DataDirInUseError, lockDataDir } from './instance-lock';
import { createOperatorToken, initService, startService, type RunningService } from './start-service';

/** A data directory whose database already exists (migrated, empty): skips PGlite's slow initdb. */
const preparedDataDir = async (): Promise<string> => {
  const dir = tempDir('attest-data-');
  await copyPgliteTemplate(pgliteDir(dir));
  return dir;
};

afterAll(removeTempDirs);

describe.each(TEST_ENGINES)('startService on %s', (kind) => {
  let dataDir: string;
  let pg: TestPostgresDatabase | undefined;
  let service: RunningService;
  const options = () => ({ dataDir, port: 0, logger: false as const, ...(pg ? { databaseUrl: pg.url } : {}) });

  beforeAll(async () => {
    dataDir = kind === 'pglite' ? await preparedDataDir() : tempDir('attest-data-');
    pg = kind === 'postgres' ? await createPostgresDatabase() : undefined;
    service = await startService({ ...options(), demo: true });
  });
  afterAll(async () => {
    await service.close();
    await pg?.drop();
  });

  it('reports its URL, certificate pin, data directory and demo token', () => {
    expect(service.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(service.dataDir).toBe(dataDir);
    expect(service.storage).toBe(kind);
    expect(service.fingerprint).toBe(spkiFingerprint(readFileSync(join(dataDir, 'tls', 'cert.pem'))));
    expect(service.demo?.token).toMatch(/^atst_op_/);
  });

  it('serves HTTPS (TLS 1.2+) with security headers, to a client that pins its key', async () => {
    const res = await pinnedRequest(`${service.url}/v1/health`, service.fingerprint);
    expect(res.status).toBe(200);
    expect(res.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(res.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const tenants = await pinnedRequest(`${service.url}/v1/tenants`, service.fingerprint, {
      headers: { authorization: `Bearer ${service.demo?.token}` },
    });
    expect(TenantListSchema.parse(tenants.json()).items.length).toBeGreaterThanOrEqual(5);
  });

  it('is refused by a client pinning another key, and refuses TLS 1.1', async () => {
    await expect(pinnedRequest(`${service.url}/v1/health`, 'a'.repeat(64))).rejects.toBeInstanceOf(PinMismatchError);
    await expect(connectPinned(service.url, service.fingerprint, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' })).rejects.toThrow();
  });

  it('refuses a second instance on the same data directory', async () => {
    await expect(startService({ ...options() })).rejects.toBeInstanceOf(DataDirInUseError);
  });

  it('keeps its data, key and tokens across restarts, and seeds the demo only once', async () => {
    const { fingerprint, demo } = service;
    await service.close();
    service = await startService({ ...options(), demo: true });
    expect(service.fingerprint).toBe(fingerprint);
    expect(service.demo).toBeUndefined();
    const res = await pinnedRequest(`${service.url}/v1/tenants`, service.fingerprint, { headers: { authorization: `Bearer ${demo?.token}` } });
    expect(res.status).toBe(200);
  });
});

describe('startService and the audit signing key', () => {
  it('creates the key owner-only in the data directory, publishes it, and signs tree heads with it across restarts', async () => {
    const dataDir = await preparedDataDir();
    let service = await startService({ dataDir, port: 0, logger: false, demo: true });
    const token = service.demo?.token ?? '';
    const auth = { headers: { authorization: `Bearer ${token}` } };
    try {
      const keyFile = join(dataDir, 'keys', 'audit-signing', 'current.pem');
      if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      const signer = await loadOrCreateAuditSigner(dataDir);
      const nil = '00000000-0000-0000-0000-000000000000';
      const head = SignedTreeHeadSchema.parse((await pinnedRequest(`${service.url}/v1/tenants/${nil}/audit/sth`, service.fingerprint, auth)).json());
      expect(head.keyId).toBe(signer.keyId);
      expect(head.treeSize).toBeGreaterThan(0);
      await service.close();
      service = await startService({ dataDir, port: 0, logger: false });
      const keys = AuditKeyListSchema.parse((await pinnedRequest(`${service.url}/v1/audit/keys`, service.fingerprint, auth)).json()).items;
      expect(keys.map((k) => [k.keyId, k.retiredAt])).toEqual([[signer.keyId, null]]);
      expect(treeHeadSignatureProblem(head, keys)).toBeNull();
    } finally {
      await service.close();
    }
  });
});

describe('startService on a tampered database', () => {
  it('refuses to start when an applied migration changed', async () => {
    const dataDir = await preparedDataDir();
    const engine = await openPgliteEngine(pgliteDir(dataDir));
    await engine.query("UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 2");
    await engine.close();
    await expect(startService({ dataDir, port: 0, logger: false })).rejects.toThrow(/0002_tenants was changed after it was applied/);
    // …and released the data directory on the way out.
    expect(() => lockDataDir(dataDir)()).not.toThrow();
  });
});

describe('initService and createOperatorToken', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await preparedDataDir();
  });

  it('creates the first operator, whose tokens work; a second init is refused', async () => {
    await expect(createOperatorToken({ dataDir })).rejects.toThrow(/no operator yet/);
    const init = await initService({ dataDir, operatorName: 'Grace' });
    expect(init.operator.name).toBe('Grace');
    await expect(initService({ dataDir })).rejects.toBeInstanceOf(OperatorAlreadyExistsError);
    const second = await createOperatorToken({ dataDir, label: 'console' });
    expect(second.operator).toEqual(init.operator);
    expect(second.token.token).not.toBe(init.token.token);

    const service = await startService({ dataDir, port: 0, logger: false, demo: true });
    try {
      expect(service.fingerprint).toBe(init.fingerprint);
      expect(service.demo).toBeUndefined();
      for (const token of [init.token.token, second.token.token]) {
        const res = await pinnedRequest(`${service.url}/v1/tenants`, service.fingerprint, { headers: { authorization: `Bearer ${token}` } });
        expect([res.status, res.json()]).toEqual([200, { items: [] }]);
      }
    } finally {
      await service.close();
    }
  });
});
