import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ipcChannels, type ConnectionStatus } from '../../../shared/ipc/contract';
import { isServiceConnectionChannel } from '../../../shared/ipc/service-connection';
import { createAuditConsole } from '../audit/audit-console';
import { serviceAuditSource } from '../audit/audit-source';
import type { ServiceClient } from '../client/service-client';
import { createSignIn } from '../auth/sign-in';
import { createTokenKeeper } from '../auth/token-keeper';
import { CoreError } from '../core-error';
import { createMemoryVault } from '../vault/memory-vault';
import { createHandlers } from './handlers';

const online: ConnectionStatus = { state: 'online', serviceUrl: 'https://127.0.0.1:8443', checkedAt: '2024-05-01T09:30:00.000Z' };

function setup(call: ServiceClient['call']) {
  const monitor = { status: vi.fn(async () => online), check: vi.fn(async () => online) };
  const tokens = createTokenKeeper({
    vault: createMemoryVault(),
    refresh: () => Promise.reject(new CoreError('not_signed_in', 'no')),
    onSessionEnded: () => undefined,
  });
  const auth = createSignIn({ client: { call }, tokens });
  const audit = createAuditConsole({
    service: serviceAuditSource({ call }),
    dataDir: mkdtempSync(join(tmpdir(), 'attest-handlers-')),
    chooseExportPath: async () => null,
    emitProgress: () => undefined,
    emitAlert: () => undefined,
  });
  const handlers = createHandlers({ client: { call }, monitor, auth, app: { version: '1.0.0', mode: 'electron', platform: 'linux' }, audit });
  return { handlers, monitor };
}

describe('IPC handlers', () => {
  it('implement every channel of the contract but the Connect screen\'s (the console host answers those), and nothing else', () => {
    const { handlers } = setup(vi.fn() as unknown as ServiceClient['call']);
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(ipcChannels).filter((c) => !isServiceConnectionChannel(c)).sort());
    for (const handler of Object.values(handlers)) expect(typeof handler).toBe('function');
  });

  it('re-probes the connection when a service call fails for a connection reason', async () => {
    const call = vi.fn(async () => {
      throw new CoreError('service_unreachable', 'down');
    }) as unknown as ServiceClient['call'];
    const { handlers, monitor } = setup(call);
    await expect(handlers['tenants.list']({})).rejects.toMatchObject({ code: 'service_unreachable' });
    expect(monitor.check).toHaveBeenCalledTimes(1);
  });

  it('does not re-probe for errors that say nothing about the connection', async () => {
    const call = vi.fn(async () => {
      throw new CoreError('not_found', 'no such tenant');
    }) as unknown as ServiceClient['call'];
    const { handlers, monitor } = setup(call);
    await expect(handlers['tenants.list']({})).rejects.toMatchObject({ code: 'not_found' });
    expect(monitor.check).not.toHaveBeenCalled();
  });
});
