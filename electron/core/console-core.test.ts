import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IpcEvent } from '../../shared/ipc/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type DemoCredentials, type RunningService } from '../../service';
import { argon2Hasher, ARGON2_TEST_PARAMS } from '../../service/identity/passwords';
import { base32Decode, currentCode } from '../../service/identity/totp';
import { makeSelfSignedCertificate, type SelfSignedCertificate } from './client/self-signed.fixture';
import { createConsoleCore, type ConsoleCore } from './console-core';
import { createMemoryVault } from './vault/memory-vault';
import type { Vault } from './vault/vault';

describe('console core', () => {
  let other: SelfSignedCertificate;
  let dataDir: string;
  let service: RunningService;
  let demo: DemoCredentials;
  const cores: ConsoleCore[] = [];

  beforeAll(async () => {
    other = await makeSelfSignedCertificate();
    dataDir = mkdtempSync(join(tmpdir(), 'attest-console-core-'));
    // The real service, with its demo data (the security officer's sign-in comes back in the ready info).
    service = await startService({ dataDir, port: 0, demo: true, logger: false, hasher: await argon2Hasher(ARGON2_TEST_PARAMS) });
    if (!service.demo) throw new Error('the service seeded no demo');
    demo = service.demo;
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((core) => core.close()));
  });
  afterAll(async () => {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = (opts: { vault?: Vault; fingerprint?: string } = {}) => {
    const events: { event: IpcEvent; payload: unknown }[] = [];
    const core = createConsoleCore({
      serviceUrl: service.url,
      fingerprint: opts.fingerprint ?? service.fingerprint,
      vault: opts.vault ?? createMemoryVault(),
      mode: 'browser',
      version: '9.9.9',
      probeIntervalMs: 0,
    });
    core.subscribe((event, payload) => events.push({ event, payload }));
    cores.push(core);
    return { core, events };
  };

  it('lists and gets tenants from the service through dispatch once signed in', async () => {
    const { core } = start();
    await core.dispatch('auth.login', { email: demo.email, password: demo.password });
    await expect(core.dispatch('auth.verify', { code: await currentCode(base32Decode(demo.totpSecret), new Date()) })).resolves.toMatchObject({ ok: true });
    const list = await core.dispatch('tenants.list', {});
    expect(list).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ name: 'Northwind Health', region: 'eu', plan: 'enterprise' })]) });
    const tenant = (list as { value: { id: string }[] }).value[0];
    await expect(core.dispatch('tenants.get', { id: tenant?.id })).resolves.toEqual({ ok: true, value: tenant });
    const missing = await core.dispatch('tenants.get', { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('reports app info for its mode', async () => {
    const { core } = start();
    await expect(core.dispatch('app.info', {})).resolves.toEqual({ ok: true, value: { version: '9.9.9', mode: 'browser', platform: process.platform } });
  });

  it('announces the connection state as an event and answers connection.status', async () => {
    const { core, events } = start();
    const connection = () => events.filter((e) => e.event === 'connection.changed');
    await expect.poll(() => connection().length).toBe(1);
    expect(connection()[0]).toMatchObject({ event: 'connection.changed', payload: { state: 'online', serviceUrl: service.url } });
    await expect(core.dispatch('connection.status', {})).resolves.toMatchObject({ ok: true, value: { state: 'online' } });
    await core.dispatch('connection.retry', {});
    expect(connection()).toHaveLength(1);
  });

  it('is online without a session (the connection is about reachability); calls that need one say not_signed_in', async () => {
    const { core } = start();
    await expect(core.dispatch('connection.retry', {})).resolves.toMatchObject({ ok: true, value: { state: 'online' } });
    await expect(core.dispatch('auth.state', {})).resolves.toEqual({ ok: true, value: { step: 'signed_out' } });
    await expect(core.dispatch('tenants.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
  });

  it('shows a certificate problem, and refuses calls, when the pin does not match', async () => {
    const { core } = start({ fingerprint: other.fingerprint });
    const status = await core.dispatch('connection.status', {});
    expect(status).toMatchObject({
      ok: true,
      value: { state: 'certificate_problem', expectedFingerprint: other.fingerprint, presentedFingerprint: service.fingerprint },
    });
    await expect(core.dispatch('auth.login', { email: demo.email, password: demo.password })).resolves.toMatchObject({
      ok: false,
      error: { code: 'certificate_mismatch' },
    });
  });

  it('keeps the stored session when the service is unreachable at start, and says why it is signed out', async () => {
    const vault = createMemoryVault({ 'refresh-token': 'atst_rt_kept' });
    const core = createConsoleCore({ serviceUrl: 'https://127.0.0.1:1', fingerprint: service.fingerprint, vault, mode: 'browser', probeIntervalMs: 0 });
    cores.push(core);
    await expect(core.dispatch('auth.state', {})).resolves.toMatchObject({
      ok: true,
      value: { step: 'signed_out', code: 'service_unreachable', reason: expect.stringMatching(/resumes it as soon as the service is back/) },
    });
    expect(await vault.get('refresh-token')).toBe('atst_rt_kept');
  });

  it('refuses a service URL that is not https and a malformed pin', () => {
    const vault = createMemoryVault();
    expect(() => createConsoleCore({ serviceUrl: 'http://127.0.0.1:1', fingerprint: service.fingerprint, vault, mode: 'browser' })).toThrow(/https/);
    expect(() => createConsoleCore({ serviceUrl: service.url, fingerprint: 'nope', vault, mode: 'browser' })).toThrow(/fingerprint/);
  });
});
