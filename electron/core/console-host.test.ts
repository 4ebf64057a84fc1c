import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatConnectionFile, formatConnectionLink, groupFingerprint } from '../../shared/connection/connection-file';
import type { IpcEvent, IpcResult } from '../../shared/ipc/contract';
import type { TenantId } from '../../shared/tenants/tenant';
import type { TestUser } from '../../service/testing/identity-fixtures';
import { startRealService, type RealService } from '../../service/testing/real-service';
import { makeSelfSignedCertificate, sendJson, startHttpsServer } from './client/self-signed.fixture';
import { readConsoleConfig, writeConsoleConfig } from './config/console-config';
import { serviceTag } from './config/service-storage';
import { createConsoleHost, type ConsoleHostOptions } from './console-host';
import { cuttableLink, type CuttableLink } from './incidents/cuttable-link.fixture';
import { ok } from './testing/console-under-test.fixture';
import { createMemoryVault } from './vault/memory-vault';
import type { Vault, VaultAccount } from './vault/vault';

/** A vault that remembers which accounts hold a secret (the memory vault cannot list them). */
const listingVault = (): Vault & { accounts(): string[] } => {
  const inner = createMemoryVault();
  const held = new Set<VaultAccount>();
  return {
    get: (a) => inner.get(a),
    set: async (a, s) => {
      held.add(a);
      await inner.set(a, s);
    },
    delete: async (a) => {
      held.delete(a);
      return inner.delete(a);
    },
    accounts: () => [...held].sort(),
  };
};

const freePortThatRefuses = async (): Promise<number> => {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

const err = (result: IpcResult<unknown>) => (result.ok ? null : result.error);

describe('console host: the Connect screen before and between services (against the real service)', () => {
  let service: RealService;
  let tenantId: TenantId;
  const cleanup: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    service = await startRealService();
    tenantId = await service.tenant();
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  afterAll(() => service.close());

  const startHost = (opts: Partial<ConsoleHostOptions> = {}) => {
    const configDir = mkdtempSync(join(tmpdir(), 'attest-host-'));
    const vault = listingVault();
    const events: Array<{ event: IpcEvent; payload: unknown }> = [];
    const host = createConsoleHost({ configDir, settings: null, vault, mode: 'browser', probeIntervalMs: 0, alertIntervalMs: 0, checkTimeoutMs: 3_000, now: service.now, ...opts });
    host.subscribe((event, payload) => events.push({ event, payload }));
    cleanup.push(() => host.close());
    return { host, configDir, vault, events, call: (channel: string, input: unknown = {}) => host.dispatch(channel, input) };
  };
  const link = async (): Promise<CuttableLink> => {
    const l = await cuttableLink(service.url);
    cleanup.push(() => l.close());
    return l;
  };
  const signIn = async (call: (c: string, i?: unknown) => Promise<IpcResult<unknown>>, user: TestUser) => {
    ok(await call('auth.login', { email: user.email, password: user.password }));
    return ok<'auth.verify'>(await call('auth.verify', { code: await service.code(user.secret) }));
  };

  it('with no service: the Connect channels and app.info answer, everything else is not_connected', async () => {
    const { call } = startHost();
    expect(ok<'service.current'>(await call('service.current'))).toEqual({ configured: false });
    expect(ok<'app.info'>(await call('app.info'))).toMatchObject({ mode: 'browser' });
    for (const channel of ['auth.state', 'connection.status', 'tenants.list', 'incidents.list']) {
      expect(err(await call(channel)), channel).toEqual({ code: 'not_connected', message: 'No service is configured yet: connect to one on the Connect screen first.' });
    }
    expect(err(await call('no.such'))?.code).toBe('unknown_channel');
    expect(err(await call('service.openFile'))?.code).toBe('not_available');
  });

  it('checks a pasted link, a file text and typed fields against the service, shows what it pinned, and saves nothing', async () => {
    const { call, configDir } = startHost();
    const target = { serviceUrl: service.url, fingerprint: service.fingerprint, label: 'Acme EU', region: 'eu' as const };
    const expected = { ...target, host: new URL(service.url).host };
    expect(ok<'service.check'>(await call('service.check', { text: formatConnectionLink(target) }))).toEqual(expected);
    expect(ok<'service.check'>(await call('service.check', { text: formatConnectionFile(target) }))).toEqual(expected);
    const typed = { serviceUrl: ` ${service.url} `, fingerprint: groupFingerprint(service.fingerprint.toUpperCase()) };
    expect(ok<'service.check'>(await call('service.check', typed))).toEqual({ serviceUrl: service.url, fingerprint: service.fingerprint, host: expected.host });
    await expect(readConsoleConfig(configDir)).resolves.toBeNull();
  });

  it('refuses a wrong pin, an unreachable host, plain HTTP, a malformed link and a stranger, each saying what to do; nothing is saved', async () => {
    const { call, configDir } = startHost();
    const flipped = `${service.fingerprint[0] === 'a' ? 'b' : 'a'}${service.fingerprint.slice(1)}`;
    const wrongPin = err(await call('service.connect', { choice: { text: formatConnectionLink({ serviceUrl: service.url, fingerprint: flipped }) } }));
    expect(wrongPin?.code).toBe('certificate_mismatch');
    expect(wrongPin?.message).toContain(`presented ${groupFingerprint(service.fingerprint)}, not ${groupFingerprint(flipped)}`);
    expect(wrongPin?.message).toContain('Ask your administrator for a new connection file');

    const port = await freePortThatRefuses();
    const away = err(await call('service.check', { serviceUrl: `https://127.0.0.1:${port}`, fingerprint: service.fingerprint }));
    expect(away?.code).toBe('service_unreachable');
    expect(away?.message).toMatch(/^The service at https:\/\/127\.0\.0\.1:\d+ cannot be reached \([^)]*\)\. Check the address and port, that the service is running and that this computer can reach it, then try again\. Nothing was saved\.$/);

    const http = err(await call('service.check', { serviceUrl: 'http://127.0.0.1:8443', fingerprint: service.fingerprint }));
    expect(http).toMatchObject({ code: 'connection_insecure_url', message: expect.stringContaining('only connects over HTTPS') });
    expect(err(await call('service.check', { text: 'attest://connect?v=1&url=https%3A%2F%2F127.0.0.1' }))?.code).toBe('connection_bad_fingerprint');
    expect(err(await call('service.check', { text: 'hello there' }))?.code).toBe('connection_unreadable');
    expect(err(await call('service.check', { text: formatConnectionLink({ serviceUrl: service.url, fingerprint: service.fingerprint }).replace('v=1', 'v=2') }))?.code).toBe(
      'connection_unknown_version',
    );
    expect(err(await call('service.check', { text: 'x'.repeat(40_000) }))?.code).toBe('invalid_input');

    // Something that holds the pinned key but is no Attest service.
    const certificate = await makeSelfSignedCertificate();
    const stranger = await startHttpsServer(certificate, (_req, res) => sendJson(res, 404, { nope: true }));
    cleanup.push(() => stranger.close());
    const notAttest = err(await call('service.check', { serviceUrl: stranger.url, fingerprint: certificate.fingerprint }));
    expect(notAttest).toMatchObject({ code: 'unexpected_response', message: expect.stringContaining('not as an Attest service') });

    await expect(readConsoleConfig(configDir)).resolves.toBeNull();
    expect(ok<'service.current'>(await call('service.current'))).toEqual({ configured: false });
  });

  it('connects: saves the service with storage of its own, tells the page, and the person signs in', async () => {
    const { call, configDir, vault, events } = startHost();
    const target = { serviceUrl: service.url, fingerprint: service.fingerprint, label: 'Acme EU' };
    const setup = ok<'service.connect'>(await call('service.connect', { choice: { text: formatConnectionLink(target) } }));
    expect(setup).toEqual({ configured: true, service: { ...target, host: new URL(service.url).host } });
    expect(events.filter((e) => e.event === 'service.changed').map((e) => e.payload)).toEqual([setup]);
    await expect(readConsoleConfig(configDir)).resolves.toEqual({ ...target, storage: 'per-service' });
    const user = await service.user({ platformRoles: ['security_officer'] });
    expect((await signIn(call, user)).step).toBe('signed_in');
    const tag = serviceTag(service.url, service.fingerprint);
    expect(vault.accounts()).toEqual([`refresh-token@${tag}`]);
  });

  it('switching service refuses while edits are unsynced, unless told to leave them; nothing of one service reaches the other', async () => {
    const first = await link();
    const second = await link();
    const configDir = mkdtempSync(join(tmpdir(), 'attest-host-'));
    await writeConsoleConfig(configDir, { serviceUrl: first.url, fingerprint: service.fingerprint, storage: 'per-service' });
    const { call, vault } = startHost({ configDir, settings: await readConsoleConfig(configDir) });
    const user = await service.user({ platformRoles: ['security_officer'] });
    await signIn(call, user);
    const incident = ok<'incidents.create'>(
      await call('incidents.create', {
        title: 'Credential stuffing on login',
        severity: 'P2',
        personalData: false,
        affectedTenantIds: [tenantId],
        detectedAt: new Date(Date.now() - 3_600_000).toISOString(),
        awareAt: new Date(Date.now() - 3_600_000).toISOString(),
      }),
    ).incident;
    ok(await call('incidents.sync'));
    await first.cut();
    ok(await call('incidents.edit', { incidentId: incident.id, change: { kind: 'note', text: 'Blocked the botnet range' } }));
    expect(ok<'incidents.syncStatus'>(await call('incidents.syncStatus')).pendingEdits).toBe(1);

    const other = { serviceUrl: second.url, fingerprint: service.fingerprint };
    const refused = err(await call('service.connect', { choice: other }));
    expect(refused?.code).toBe('unsynced_edits');
    expect(refused?.message).toContain(`1 offline edit is not yet synced with ${new URL(first.url).host}`);
    expect(ok<'service.current'>(await call('service.current'))).toMatchObject({ service: { serviceUrl: first.url } });
    expect(ok<'auth.state'>(await call('auth.state')).step).toBe('signed_in');

    ok(await call('service.connect', { choice: other, leaveUnsynced: true }));
    // The other service's console knows nobody, and reads no copy of the first one's incidents.
    expect(ok<'auth.state'>(await call('auth.state')).step).toBe('signed_out');
    const firstTag = serviceTag(first.url, service.fingerprint);
    const secondTag = serviceTag(second.url, service.fingerprint);
    expect(vault.accounts().some((a) => a.endsWith(`@${secondTag}`))).toBe(false);
    expect(vault.accounts()).toContain(`refresh-token@${firstTag}`);
    expect(existsSync(join(configDir, 'services', secondTag, 'incidents'))).toBe(false);

    // Back to the first: its session and its unsynced edit are still there, and go out once it is reachable.
    await first.restore();
    ok(await call('service.connect', { choice: { serviceUrl: first.url, fingerprint: service.fingerprint } }));
    await expect.poll(async () => ok<'auth.state'>(await call('auth.state')).step).toBe('signed_in');
    ok(await call('incidents.sync'));
    expect(ok<'incidents.syncStatus'>(await call('incidents.syncStatus')).pendingEdits).toBe(0);
  });

  it('parallel connects to two services run one after the other: the console ends on one, and the saved settings name that one', async () => {
    const [a, b] = [await link(), await link()];
    const { call, configDir, events } = startHost();
    const results = await Promise.all([
      call('service.connect', { choice: { serviceUrl: a.url, fingerprint: service.fingerprint } }),
      call('service.connect', { choice: { serviceUrl: b.url, fingerprint: service.fingerprint } }),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    const current = ok<'service.current'>(await call('service.current'));
    const saved = await readConsoleConfig(configDir);
    expect(current).toMatchObject({ configured: true, service: { serviceUrl: saved?.serviceUrl } });
    expect(events.filter((e) => e.event === 'service.changed')).toHaveLength(2);
    expect(ok<'auth.state'>(await call('auth.state')).step).toBe('signed_out');
  });

  it('reads a picked connection file in the core (Electron), refusing an oversized one before parsing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-connfile-'));
    const good = join(dir, 'acme.attest-connection.json');
    writeFileSync(good, formatConnectionFile({ serviceUrl: service.url, fingerprint: service.fingerprint }));
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, `{"format":"attest-connection","version":1,"pad":"${'x'.repeat(100_000)}"}`);
    let picked: string | null = good;
    const { call } = startHost({ chooseConnectionFile: async () => picked });
    expect(ok<'service.openFile'>(await call('service.openFile'))).toMatchObject({ serviceUrl: service.url, fingerprint: service.fingerprint });
    picked = huge;
    expect(err(await call('service.openFile'))?.code).toBe('connection_too_large');
    picked = join(dir, 'missing.json');
    expect(err(await call('service.openFile'))?.code).toBe('connection_unreadable');
    picked = null;
    expect(ok<'service.openFile'>(await call('service.openFile'))).toBeNull();
  });
});
