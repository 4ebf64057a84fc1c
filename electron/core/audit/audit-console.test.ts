import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditAlert, AuditProgress } from '../../../shared/ipc/audit';
import { createAuditConsole, exportsDirChooser, type ChooseExportPath } from './audit-console';
import { TestLog } from './audit-log.fixture';

const TENANT = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d';
const dirs: string[] = [];
const consoles: { close(): void }[] = [];
afterEach(() => {
  for (const c of consoles.splice(0)) c.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(chooser?: ChooseExportPath, watchIntervalMs = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'attest-audit-console-'));
  dirs.push(dir);
  const log = new TestLog(TENANT, 400);
  const progress: AuditProgress[] = [];
  const alerts: AuditAlert[] = [];
  const audit = createAuditConsole({
    service: log.source(),
    dataDir: dir,
    chooseExportPath: chooser ?? exportsDirChooser(dir),
    emitProgress: (p) => progress.push(p),
    emitAlert: (a) => alerts.push(a),
    watchIntervalMs,
  });
  consoles.push(audit);
  return { dir, log, audit, progress, alerts };
}

describe('audit console', () => {
  it('falls back to the offline copy when the service cannot be reached, and says so', async () => {
    const { log, audit, progress } = setup();
    expect(await audit.verifyLog({ tenantId: TENANT, source: 'auto' })).toMatchObject({ ok: true, source: 'service', treeSize: 400 });
    log.online = false;
    expect(await audit.verifyLog({ tenantId: TENANT, source: 'auto' })).toMatchObject({ ok: true, source: 'cache', treeSize: 400 });
    await expect(audit.verifyLog({ tenantId: TENANT, source: 'service' })).rejects.toMatchObject({ code: 'service_unreachable' });
    expect(progress.every((p) => p.operation === 'verify' && p.tenantId === TENANT)).toBe(true);
  });

  it('refuses a second Verify log of the same log while one runs', async () => {
    const { audit } = setup();
    const first = audit.verifyLog({ tenantId: TENANT, source: 'auto' });
    await expect(audit.verifyLog({ tenantId: TENANT, source: 'auto' })).rejects.toMatchObject({ code: 'conflict' });
    await first;
  });

  it('reports a status refresh that failed next to the stored status, instead of failing', async () => {
    const { log, audit } = setup();
    expect(await audit.status({ tenantId: TENANT, refresh: true })).toMatchObject({ verifiedHead: { treeSize: 400 }, refreshError: null });
    log.online = false;
    expect(await audit.status({ tenantId: TENANT, refresh: true })).toMatchObject({
      verifiedHead: { treeSize: 400 },
      refreshError: { code: 'service_unreachable' },
    });
  });

  it('exports to the path the user chose, or does nothing when they cancel', async () => {
    const asked: string[] = [];
    const target = mkdtempSync(join(tmpdir(), 'attest-export-target-'));
    dirs.push(target);
    let answer: string | null = join(target, 'chosen.csv');
    const { audit, progress } = setup(async (name) => {
      asked.push(name);
      return answer;
    });
    await audit.status({ tenantId: TENANT, refresh: true });
    expect(await audit.export({ tenantId: TENANT, format: 'csv' })).toMatchObject({ state: 'saved', path: join(target, 'chosen.csv'), events: 400 });
    expect(asked[0]).toMatch(/^attest-audit-7d0c4c1e-.*\.csv$/);
    expect(readFileSync(join(target, 'chosen.csv'), 'utf8').split('\r\n').filter(Boolean)).toHaveLength(401);
    expect(progress.at(-1)).toEqual({ operation: 'export', tenantId: TENANT, phase: 'write', done: 400, total: 400 });
    answer = null;
    expect(await audit.export({ tenantId: TENANT, format: 'ndjson' })).toEqual({ state: 'cancelled' });
  });

  it('in browser mode exports into the data directory and tells where', async () => {
    const { dir, audit } = setup();
    const saved = await audit.export({ tenantId: TENANT, format: 'ndjson' });
    expect(saved).toMatchObject({ state: 'saved', events: 400 });
    expect(saved.state === 'saved' && saved.path.startsWith(join(dir, 'exports'))).toBe(true);
  });

  it('keeps checking the newest tree head of a log once it was opened, and raises the alert on its own', async () => {
    const { log, audit, alerts } = setup(undefined, 20);
    await audit.status({ tenantId: TENANT, refresh: true });
    log.append(5);
    await expect.poll(async () => (await audit.status({ tenantId: TENANT, refresh: false })).verifiedHead?.treeSize).toBe(405);
    log.rewrite(3, { n: 3, role: 'owner' });
    log.append(1);
    await expect.poll(() => alerts.map((a) => a.code)).toEqual(['audit_integrity_failed']);
    expect((await audit.status({ tenantId: TENANT, refresh: false })).verifiedHead?.treeSize).toBe(405);
  });
});
