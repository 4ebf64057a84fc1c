import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditAlert } from '../../../shared/ipc/audit';
import { createSignIn } from '../auth/sign-in';
import { createTokenKeeper } from '../auth/token-keeper';
import type { ServiceClient } from '../client/service-client';
import { CoreError } from '../core-error';
import { createDispatch } from '../ipc/dispatch';
import { createHandlers } from '../ipc/handlers';
import { createMemoryVault } from '../vault/memory-vault';
import { createAuditConsole } from './audit-console';
import { TestLog } from './audit-log.fixture';

const TENANT = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The audit channels end to end through dispatch: input validation, handlers, output validation. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'attest-audit-ipc-'));
  dirs.push(dir);
  const log = new TestLog(TENANT, 250);
  const call = vi.fn(() => Promise.reject(new CoreError('service_unreachable', 'down'))) as unknown as ServiceClient['call'];
  const online = { state: 'online' as const, serviceUrl: 'https://127.0.0.1:8443', checkedAt: '2026-01-01T00:00:00.000Z' };
  const tokens = createTokenKeeper({ vault: createMemoryVault(), refresh: () => Promise.reject(new CoreError('not_signed_in', 'no')), onSessionEnded: () => undefined });
  const alerts: AuditAlert[] = [];
  const chooseExportPath = vi.fn(async (name: string) => join(dir, name));
  const audit = createAuditConsole({ service: log.source(), dataDir: dir, chooseExportPath, emitProgress: () => undefined, emitAlert: (a) => alerts.push(a), watchIntervalMs: 0 });
  const reported: unknown[] = [];
  const dispatch = createDispatch(
    createHandlers({
      client: { call },
      monitor: { status: async () => online, check: async () => online },
      auth: createSignIn({ client: { call }, tokens }),
      app: { version: '1.0.0', mode: 'browser', platform: 'linux' },
      audit,
    }),
    (error) => reported.push(error),
  );
  return { log, dispatch, alerts, reported, chooseExportPath };
}

describe('audit IPC channels', () => {
  it('answer within the contract: status, a page of events, an inclusion check, Verify log', async () => {
    const { dispatch, reported } = setup();
    await expect(dispatch('audit.status', { tenantId: TENANT, refresh: true })).resolves.toMatchObject({
      ok: true,
      value: { tenantId: TENANT, verifiedHead: { treeSize: 250 }, alerts: [], refreshError: null },
    });
    const page = await dispatch('audit.events', { tenantId: TENANT, cursor: '100', limit: 50 });
    expect(page).toMatchObject({ ok: true, value: { nextCursor: '150' } });
    await expect(dispatch('audit.verifyEvent', { tenantId: TENANT, seq: 120 })).resolves.toMatchObject({ ok: true, value: { state: 'verified', seq: 120 } });
    await expect(dispatch('audit.verifyLog', { tenantId: TENANT })).resolves.toMatchObject({ ok: true, value: { ok: true, source: 'service', eventsChecked: 250 } });
    expect(reported).toEqual([]);
  });

  it('refuse input outside the contract: a path for an export, a short note, a bad log id', async () => {
    const { dispatch, chooseExportPath } = setup();
    expect(await dispatch('audit.export', { tenantId: TENANT, format: 'ndjson', path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/unexpected field "path"/) },
    });
    expect(chooseExportPath).not.toHaveBeenCalled();
    expect(await dispatch('audit.export', { tenantId: TENANT, format: 'xlsx' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await dispatch('audit.dismissAlert', { alertId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', note: 'ok' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/^Invalid input for audit.dismissAlert: note:/) },
    });
    expect(await dispatch('audit.events', { tenantId: '../../etc' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await dispatch('audit.verifyEvent', { tenantId: TENANT, seq: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('keep an alert until dismissed with a note, then show the note with it', async () => {
    const { log, dispatch, alerts } = setup();
    await dispatch('audit.status', { tenantId: TENANT, refresh: true });
    log.served.splice(10, 1);
    expect(await dispatch('audit.verifyLog', { tenantId: TENANT })).toMatchObject({ ok: true, value: { ok: false, firstBadSeq: 11 } });
    const [alert] = alerts;
    const note = 'Row 11 was restored from the nightly backup; see INC-4.';
    expect(await dispatch('audit.dismissAlert', { alertId: alert!.id, note })).toMatchObject({ ok: true, value: { id: alert!.id, dismissal: { note } } });
    const status = await dispatch('audit.status', { tenantId: TENANT });
    expect(status).toMatchObject({ ok: true, value: { alerts: [{ id: alert!.id, firstBadSeq: 11, dismissal: { note } }] } });
  });
});
