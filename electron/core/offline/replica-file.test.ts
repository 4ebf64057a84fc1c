import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident, TimelineEntry } from '../../../shared/incidents/incident';
import type { TenantId } from '../../../shared/tenants/tenant';
import { createReplica, loadReplica, REPLICA_SCHEMA_VERSION } from './replica-database';
import { readReplicaFile, sealReplica, writeReplicaFile } from './replica-file';

const key = randomBytes(32);
let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'attest-replica-'));
  path = join(dir, 'replica.db.enc');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const incident: Incident = {
  id: '0b0e1c2d-0000-4000-8000-00000000000a',
  title: 'Leaked API keys at Acme',
  description: 'Keys found in a public paste.',
  severity: 'P0',
  status: 'triaged',
  commanderId: 'b9f6c1de-0000-4000-8000-000000000001',
  assigneeIds: [],
  affectedTenantIds: ['7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' as TenantId],
  personalData: true,
  detectedAt: '2026-11-23T00:00:00.000Z',
  awareAt: '2026-11-23T00:05:00.000Z',
  verifiedAt: null,
  classifiedAt: '2026-11-23T00:20:00.000Z',
  resolvedAt: null,
  reviewPublishedAt: null,
  version: 3,
  createdAt: '2026-11-23T00:00:00.000Z',
  updatedAt: '2026-11-23T00:20:00.000Z',
};
const note: TimelineEntry = {
  id: '5e0d7c1b-0000-4000-8000-000000000001',
  incidentId: incident.id,
  at: '2026-11-23T00:10:00.000Z',
  actorId: 'b9f6c1de-0000-4000-8000-000000000001',
  kind: 'note',
  text: 'Rotated the leaked keys.',
};

/** Every file in the test directory: a refused load must leave exactly the same set, with the same bytes. */
const snapshotDir = () => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('hex')]));
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describe('replica snapshot', () => {
  it('round-trips incidents, timeline and sync cursor through an encrypted file', async () => {
    const replica = await createReplica();
    replica.upsertIncident(incident);
    replica.addTimelineEntry(note);
    replica.addTimelineEntry(note);
    const { id: _id, at: _at, kind: _kind, text: _text, ...common } = note as Extract<TimelineEntry, { kind: 'note' }>;
    replica.addTimelineEntry({ ...common, id: '5e0d7c1b-0000-4000-8000-000000000002', at: '2026-11-23T00:09:00.000Z', kind: 'severity_change', from: 'P1', to: 'P0' });
    replica.setSyncCursor('c:1042');
    replica.setSyncCursor('c:1043');
    await replica.save(path, key);
    replica.close();

    expect(readFileSync(path).includes('Leaked')).toBe(false);
    expect(readdirSync(dir), 'no temp file is left behind').toEqual(['replica.db.enc']);
    const loaded = await loadReplica(path, key);
    expect(loaded!.incidents()).toEqual([incident]);
    expect(loaded!.timeline(incident.id).map((e) => e.kind)).toEqual(['severity_change', 'note']);
    expect(loaded!.syncCursor()).toBe('c:1043');
    loaded!.upsertIncident({ ...incident, severity: 'P1', version: 4 });
    expect(loaded!.incident(incident.id)).toMatchObject({ severity: 'P1', version: 4 });
    loaded!.close();
  });

  it('is null when nothing was saved yet; a new replica has no cursor', async () => {
    expect(await loadReplica(path, key)).toBeNull();
    const replica = await createReplica();
    expect(replica.syncCursor()).toBeNull();
    expect(replica.incidents()).toEqual([]);
    replica.close();
  });

  it('refuses invalid rows before they are stored', async () => {
    const replica = await createReplica();
    expect(() => replica.upsertIncident({ ...incident, severity: 'P9' } as unknown as Incident)).toThrow();
    expect(replica.incidents()).toEqual([]);
    replica.close();
  });

  it('replaces the previous snapshot atomically', async () => {
    const replica = await createReplica();
    replica.setSyncCursor('first');
    await replica.save(path, key);
    replica.setSyncCursor('second');
    await replica.save(path, key);
    replica.close();
    expect(readdirSync(dir)).toEqual(['replica.db.enc']);
    expect((await loadReplica(path, key))!.syncCursor()).toBe('second');
  });

  describe('refuses, and leaves every file in place,', () => {
    const saved = async () => {
      const replica = await createReplica();
      replica.upsertIncident(incident);
      await replica.save(path, key);
      replica.close();
      return readFileSync(path);
    };
    const refusal = async (code: string, message: RegExp) => {
      const before = snapshotDir();
      const error = await errorOf(loadReplica(path, key));
      expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
      expect((error as Error).message).toMatch(/left in place; choose Re-sync from the service/);
      expect(snapshotDir()).toEqual(before);
    };

    it('a wrong key with replica_key_mismatch', async () => {
      await saved();
      const before = snapshotDir();
      await expect(loadReplica(path, randomBytes(32))).rejects.toMatchObject({ code: 'replica_key_mismatch' });
      expect(snapshotDir()).toEqual(before);
    });

    it('a file truncated anywhere with replica_corrupt', async () => {
      const file = await saved();
      for (const cut of [10, 55, 56, 100, file.length - 1]) {
        writeFileSync(path, file.subarray(0, cut));
        await refusal('replica_corrupt', /truncated|bytes where its header says/);
      }
      writeFileSync(path, Buffer.alloc(0));
      await refusal('replica_corrupt', /empty/);
    });

    it('a flipped bit in the contents with replica_corrupt', async () => {
      const file = await saved();
      file[200]! ^= 0x04;
      writeFileSync(path, file);
      await refusal('replica_corrupt', /fail authentication/);
    });

    it('random bytes and a plain SQLite file with replica_unsupported_format', async () => {
      writeFileSync(path, randomBytes(4096));
      await refusal('replica_unsupported_format', /not an Attest replica file/);
      const SQL = await initSqlJs();
      const plain = new SQL.Database();
      plain.run('CREATE TABLE t (x)');
      writeFileSync(path, plain.export());
      plain.close();
      await refusal('replica_unsupported_format', /not an Attest replica file/);
    });

    it('a file of another format version with replica_unsupported_format', async () => {
      const file = await saved();
      file[4] = 2;
      writeFileSync(path, file);
      await refusal('replica_unsupported_format', /version 2; this console reads version 1/);
    });

    it('sealed bytes that are no database with replica_corrupt', async () => {
      writeFileSync(path, sealReplica(randomBytes(8192), key));
      await refusal('replica_corrupt', /no readable database/);
    });

    it('a database of another schema version with replica_unsupported_format', async () => {
      const SQL = await initSqlJs();
      const other = new SQL.Database();
      other.run(`PRAGMA user_version = ${REPLICA_SCHEMA_VERSION + 1}`);
      await writeReplicaFile(path, other.export(), key);
      other.close();
      await refusal('replica_unsupported_format', new RegExp(`schema version ${REPLICA_SCHEMA_VERSION + 1}`));
    });
  });

  it('reads back exactly the bytes written', async () => {
    const bytes = randomBytes(100_000);
    await writeReplicaFile(path, bytes, key);
    expect((await readReplicaFile(path, key))!.equals(bytes)).toBe(true);
    expect(readFileSync(path).length).toBe(bytes.length + 56 + 16);
  });
});
