import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readConsoleConfig, writeConsoleConfig } from '../core/config/console-config';
import { serviceTag } from '../core/config/service-storage';
import type { VaultAccount } from '../core/vault/vault';
import { formatConnectionLink } from '../../shared/connection/connection-file';
import { createKeytarVault } from '../core/vault/keytar-vault';
import { startRealService, type RealService } from './real-service.fixture';

const root = resolve(import.meta.dirname, '..', '..');
const keychainService = `attest-launch-test-${process.pid}-${Date.now()}`;

interface Run {
  stdoutLines: Promise<string[]>;
  firstLine: Promise<string>;
  exit: Promise<{ code: number | null; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
}

function launch(args: string[], keychain = keychainService): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'electron/web/launch.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ATTEST_KEYCHAIN_SERVICE: keychain, ATTEST_CONFIG_DIR: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  let resolveFirst: (line: string) => void = () => undefined;
  const firstLine = new Promise<string>((r) => (resolveFirst = r));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('\n')) resolveFirst(stdout.split('\n')[0] ?? '');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; stderr: string }>((r) => child.once('exit', (code) => r({ code, stderr })));
  void exit.then(() => resolveFirst(''));
  return {
    firstLine,
    stdoutLines: exit.then(() => stdout.split('\n').filter((l) => l.length > 0)),
    exit,
    kill: (signal) => child.kill(signal),
  };
}

/** The page's side of the bridge: hello with the launch secret, then invokes by id. */
async function bridge(pageUrl: string): Promise<{ invoke(channel: string, input: unknown): Promise<unknown>; close(): void }> {
  const url = new URL(pageUrl);
  const secret = new URLSearchParams(url.hash.slice(1)).get('bridge') ?? '';
  const ws = new WebSocket(`ws://${url.host}/ipc`, { origin: url.origin });
  const waiting = new Map<number, (result: unknown) => void>();
  ws.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as { type: string; id?: number; result?: unknown };
    if (frame.type === 'result' && frame.id !== undefined) waiting.get(frame.id)?.(frame.result);
  });
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'hello', secret }));
  let nextId = 1;
  return {
    invoke: (channel, input) =>
      new Promise((resolveResult) => {
        const id = nextId++;
        waiting.set(id, resolveResult);
        ws.send(JSON.stringify({ type: 'invoke', id, channel, input }));
      }),
    close: () => ws.close(),
  };
}

// Each case starts its own process; they run side by side to keep the suite quick.
describe.concurrent('console:web launcher', () => {
  let base: string;
  let rendererDir: string;
  let service: RealService;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'attest-launch-'));
    rendererDir = join(base, 'dist');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
    service = await startRealService();
    // Seeding the demo data takes long on a loaded machine.
  }, 180_000);
  afterAll(async () => {
    const keychain = createKeytarVault({ service: keychainService });
    await keychain.delete('refresh-token');
    if (service) await keychain.delete(`refresh-token@${serviceTag(service.url, service.fingerprint)}` as VaultAccount);
    await service?.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('saves the pin, prints one ready line, bridges, keeps a sign-in in the keychain, resumes it after a restart, and stops cleanly on SIGTERM', async () => {
    const configDir = join(base, 'config');
    const run = launch(['--service-url', service.url, '--fingerprint', service.fingerprint, '--config-dir', configDir, '--renderer-dir', rendererDir]);
    const line = await run.firstLine;
    const ready = JSON.parse(line) as { event: string; url: string };
    expect(Object.keys(ready)).toEqual(['event', 'url']);
    expect(ready.event).toBe('console-ready');
    const url = new URL(ready.url);
    expect(url.hostname).toBe('127.0.0.1');
    const secret = new URLSearchParams(url.hash.slice(1)).get('bridge');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(JSON.parse(readFileSync(join(configDir, 'console.json'), 'utf8'))).toEqual({ serviceUrl: service.url, fingerprint: service.fingerprint, storage: 'per-service' });

    const first = await bridge(ready.url);
    await expect(first.invoke('connection.retry', {})).resolves.toMatchObject({ ok: true, value: { state: 'online' } });
    await expect(first.invoke('auth.login', { email: service.demo.email, password: service.demo.password })).resolves.toMatchObject({ ok: true, value: { step: 'mfa' } });
    await expect(first.invoke('auth.verify', { code: await service.code() })).resolves.toMatchObject({ ok: true, value: { step: 'signed_in' } });
    first.close();
    // The service's own keychain entry: no other service's console ever reads it.
    const tag = serviceTag(service.url, service.fingerprint);
    const stored = await createKeytarVault({ service: keychainService }).get(`refresh-token@${tag}` as VaultAccount);
    expect(stored).toMatch(/^atst_rt_/);
    await expect(createKeytarVault({ service: keychainService }).get('refresh-token')).resolves.toBeNull();

    run.kill('SIGTERM');
    const { code, stderr } = await run.exit;
    expect(code).toBe(0);
    expect(await run.stdoutLines).toEqual([line]);
    expect(stderr).not.toMatch(/atst_(at|rt)_/);
    expect(stderr).not.toContain(secret);

    // A new process with the same keychain service name resumes without the password.
    const again = launch(['--config-dir', configDir, '--renderer-dir', rendererDir]);
    const second = await bridge((JSON.parse(await again.firstLine) as { url: string }).url);
    await expect(second.invoke('auth.state', {})).resolves.toMatchObject({ ok: true, value: { step: 'signed_in', me: { user: { email: service.demo.email } } } });
    second.close();
    again.kill('SIGTERM');
    expect((await again.exit).code).toBe(0);
  }, 120_000);

  it('uses the saved settings when run without flags', async () => {
    const configDir = join(base, 'saved-config');
    await writeConsoleConfig(configDir, { serviceUrl: service.url, fingerprint: service.fingerprint });
    const run = launch(['--config-dir', configDir, '--renderer-dir', rendererDir]);
    expect(JSON.parse(await run.firstLine)).toMatchObject({ event: 'console-ready' });
    run.kill('SIGINT');
    expect((await run.exit).code).toBe(0);
  });

  it('starts on the Connect screen when no service is configured, and connects to a pasted link', async () => {
    const configDir = join(base, 'empty');
    // Its own keychain name: the first case's sign-in to the same service, running beside it, would be resumed here.
    const run = launch(['--config-dir', configDir, '--renderer-dir', rendererDir], `${keychainService}-connect`);
    const page = await bridge((JSON.parse(await run.firstLine) as { url: string }).url);
    await expect(page.invoke('service.current', {})).resolves.toEqual({ ok: true, value: { configured: false } });
    await expect(page.invoke('auth.state', {})).resolves.toMatchObject({ ok: false, error: { code: 'not_connected' } });
    const text = formatConnectionLink({ serviceUrl: service.url, fingerprint: service.fingerprint });
    await expect(page.invoke('service.connect', { choice: { text } })).resolves.toMatchObject({ ok: true, value: { configured: true } });
    await expect(page.invoke('auth.state', {})).resolves.toMatchObject({ ok: true, value: { step: 'signed_out' } });
    await expect(readConsoleConfig(configDir)).resolves.toMatchObject({ serviceUrl: service.url, fingerprint: service.fingerprint });
    page.close();
    run.kill('SIGTERM');
    expect((await run.exit).code).toBe(0);
  }, 90_000);

  it('refuses a service URL without its fingerprint when nothing is saved, and exits 1', async () => {
    const run = launch(['--config-dir', join(base, 'empty-2'), '--renderer-dir', rendererDir, '--service-url', service.url]);
    const { code, stderr } = await run.exit;
    expect(code).toBe(1);
    expect(stderr).toMatch(/pass --fingerprint too/);
    expect(await run.stdoutLines).toEqual([]);
  });

  it('rejects unknown flags with usage and exits 2', async () => {
    const { code, stderr } = await launch(['--no-such-flag']).exit;
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: npm run console:web');
  });
});
