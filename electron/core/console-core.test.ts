import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionStatus, IpcEvent } from '../../shared/ipc/contract';
import { makeSelfSignedCertificate, sendJson, startHttpsServer, type SelfSignedCertificate, type TestHttpsServer } from './client/self-signed.fixture';
import { createConsoleCore, type ConsoleCore } from './console-core';
import { createMemoryVault } from './vault/memory-vault';
import type { Vault } from './vault/vault';

const TOKEN = 'op_core_test_token';
const tenant = {
  id: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d',
  name: 'Acme GmbH',
  region: 'eu',
  plan: 'enterprise',
  createdAt: '2024-05-01T09:30:00.000Z',
};

describe('console core', () => {
  let certificate: SelfSignedCertificate;
  let other: SelfSignedCertificate;
  let service: TestHttpsServer;
  const cores: ConsoleCore[] = [];

  beforeAll(async () => {
    [certificate, other] = await Promise.all([makeSelfSignedCertificate(), makeSelfSignedCertificate()]);
    // A minimal stand-in for the service: operator token auth and the tenant routes.
    service = await startHttpsServer(certificate, (req, res) => {
      if (req.url === '/v1/health') return sendJson(res, 200, { status: 'ok', version: '0.1.0', storage: 'pglite', time: new Date().toISOString() });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        return sendJson(res, 401, { error: { code: 'invalid_token', message: 'The operator token is not valid.', requestId: 'r1' } });
      }
      if (req.url === '/v1/tenants') return sendJson(res, 200, { items: [tenant] });
      if (req.url === `/v1/tenants/${tenant.id}`) return sendJson(res, 200, tenant);
      return sendJson(res, 404, { error: { code: 'not_found', message: 'No such tenant.', requestId: 'r2' } });
    });
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((core) => core.close()));
  });
  afterAll(() => service.close());

  const start = (opts: { vault?: Vault; fingerprint?: string } = {}) => {
    const events: { event: IpcEvent; payload: ConnectionStatus }[] = [];
    const core = createConsoleCore({
      serviceUrl: service.url,
      fingerprint: opts.fingerprint ?? certificate.fingerprint,
      vault: opts.vault ?? createMemoryVault({ 'operator-token': TOKEN }),
      mode: 'browser',
      version: '9.9.9',
      probeIntervalMs: 0,
    });
    core.subscribe((event, payload) => events.push({ event, payload }));
    cores.push(core);
    return { core, events };
  };

  it('lists and gets tenants from the service through dispatch, never showing the token', async () => {
    const { core } = start();
    const list = await core.dispatch('tenants.list', {});
    expect(list).toEqual({ ok: true, value: [tenant] });
    await expect(core.dispatch('tenants.get', { id: tenant.id })).resolves.toEqual({ ok: true, value: tenant });
    const missing = await core.dispatch('tenants.get', { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing).toEqual({ ok: false, error: { code: 'not_found', message: 'No such tenant.' } });
    const everything = JSON.stringify([list, missing, await core.dispatch('connection.status', {}), await core.dispatch('app.info', {})]);
    expect(everything).not.toContain(TOKEN);
  });

  it('reports app info for its mode', async () => {
    const { core } = start();
    await expect(core.dispatch('app.info', {})).resolves.toEqual({ ok: true, value: { version: '9.9.9', mode: 'browser', platform: process.platform } });
  });

  it('announces the connection state as an event and answers connection.status', async () => {
    const { core, events } = start();
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toMatchObject({ event: 'connection.changed', payload: { state: 'online', serviceUrl: service.url } });
    await expect(core.dispatch('connection.status', {})).resolves.toMatchObject({ ok: true, value: { state: 'online' } });
    await core.dispatch('connection.retry', {});
    expect(events).toHaveLength(1);
  });

  it('shows a certificate problem, and refuses calls, when the pin does not match', async () => {
    const { core } = start({ fingerprint: other.fingerprint });
    const status = await core.dispatch('connection.status', {});
    expect(status).toMatchObject({
      ok: true,
      value: { state: 'certificate_problem', expectedFingerprint: other.fingerprint, presentedFingerprint: certificate.fingerprint },
    });
    await expect(core.dispatch('tenants.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'certificate_mismatch' } });
  });

  it('is signed out without a token and online once one is stored', async () => {
    const vault = createMemoryVault();
    const { core, events } = start({ vault });
    await expect(core.dispatch('connection.status', {})).resolves.toMatchObject({ ok: true, value: { state: 'signed_out' } });
    await expect(core.dispatch('tenants.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    await core.storeOperatorToken(`  ${TOKEN}\n`);
    expect(await vault.get('operator-token')).toBe(TOKEN);
    await expect.poll(() => events.map((e) => e.payload.state)).toEqual(['signed_out', 'online']);
    await expect(core.dispatch('tenants.list', {})).resolves.toMatchObject({ ok: true });
  });

  it('is signed out when the service rejects the stored token', async () => {
    const { core } = start({ vault: createMemoryVault({ 'operator-token': 'op_revoked' }) });
    const status = await core.dispatch('connection.retry', {});
    expect(status).toMatchObject({ ok: true, value: { state: 'signed_out', message: expect.stringContaining('rejected the stored operator token') } });
    await expect(core.dispatch('tenants.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'invalid_token' } });
  });

  it('refuses tokens that cannot be operator tokens', async () => {
    const vault = createMemoryVault();
    const { core } = start({ vault });
    for (const bad of ['', '   ', 'two words', 'x'.repeat(5000), 'line\nbreak']) {
      await expect(core.storeOperatorToken(bad)).rejects.toMatchObject({ code: 'invalid_input' });
    }
    expect(await vault.get('operator-token')).toBeNull();
  });

  it('refuses a service URL that is not https and a malformed pin', () => {
    const vault = createMemoryVault();
    expect(() => createConsoleCore({ serviceUrl: 'http://127.0.0.1:1', fingerprint: certificate.fingerprint, vault, mode: 'browser' })).toThrow(/https/);
    expect(() => createConsoleCore({ serviceUrl: service.url, fingerprint: 'nope', vault, mode: 'browser' })).toThrow(/fingerprint/);
  });
});
