import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeSelfSignedCertificate, sendJson, startHttpsServer, type SelfSignedCertificate, type TestHttpsServer } from '../core/client/self-signed.fixture';
import { writeConsoleConfig } from '../core/config/console-config';
import { createKeytarVault } from '../core/vault/keytar-vault';

const root = resolve(import.meta.dirname, '..', '..');
const TOKEN = 'op_launch_test_token';
const keychainService = `attest-launch-test-${process.pid}-${Date.now()}`;

interface Run {
  stdoutLines: Promise<string[]>;
  firstLine: Promise<string>;
  exit: Promise<{ code: number | null; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
}

function launch(args: string[], stdin?: string): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'electron/web/launch.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ATTEST_KEYCHAIN_SERVICE: keychainService, ATTEST_CONFIG_DIR: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(stdin);
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

// Each case starts its own process; they run side by side to keep the suite quick.
describe.concurrent('console:web launcher', () => {
  let base: string;
  let rendererDir: string;
  let certificate: SelfSignedCertificate;
  let service: TestHttpsServer;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'attest-launch-'));
    rendererDir = join(base, 'dist');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
    certificate = await makeSelfSignedCertificate();
    service = await startHttpsServer(certificate, (req, res) => {
      if (req.url === '/v1/health') return sendJson(res, 200, { status: 'ok', version: '0.1.0', storage: 'pglite', time: new Date().toISOString() });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return sendJson(res, 401, { error: { code: 'invalid_token', message: 'Bad token.', requestId: 'r' } });
      return sendJson(res, 200, { items: [] });
    });
  });
  afterAll(async () => {
    await createKeytarVault({ service: keychainService }).delete('operator-token');
    await service.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('stores the token, saves the pin, prints one ready line, bridges, and stops cleanly on SIGTERM', async () => {
    const configDir = join(base, 'config');
    const run = launch(
      ['--service-url', service.url, '--fingerprint', certificate.fingerprint, '--config-dir', configDir, '--renderer-dir', rendererDir, '--token-stdin'],
      `${TOKEN}\n`,
    );
    const line = await run.firstLine;
    const ready = JSON.parse(line) as { event: string; url: string };
    expect(Object.keys(ready)).toEqual(['event', 'url']);
    expect(ready.event).toBe('console-ready');
    const url = new URL(ready.url);
    expect(url.hostname).toBe('127.0.0.1');
    const secret = new URLSearchParams(url.hash.slice(1)).get('bridge');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(await createKeytarVault({ service: keychainService }).get('operator-token')).toBe(TOKEN);
    expect(JSON.parse(readFileSync(join(configDir, 'console.json'), 'utf8'))).toEqual({ serviceUrl: service.url, fingerprint: certificate.fingerprint });

    const ws = new WebSocket(`ws://${url.host}/ipc`, { origin: url.origin });
    const frames: unknown[] = [];
    const gotResult = new Promise<void>((r) =>
      ws.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString()) as { type: string };
        frames.push(frame);
        if (frame.type === 'result') r();
      }),
    );
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'hello', secret }));
    ws.send(JSON.stringify({ type: 'invoke', id: 7, channel: 'connection.retry', input: {} }));
    await gotResult;
    expect(frames).toContainEqual({ type: 'result', id: 7, result: { ok: true, value: expect.objectContaining({ state: 'online' }) } });

    run.kill('SIGTERM');
    const { code, stderr } = await run.exit;
    expect(code).toBe(0);
    expect(await run.stdoutLines).toEqual([line]);
    expect(stderr).not.toContain(TOKEN);
    expect(stderr).not.toContain(secret);
  });

  it('uses the saved settings when run without flags', async () => {
    const configDir = join(base, 'saved-config');
    await writeConsoleConfig(configDir, { serviceUrl: service.url, fingerprint: certificate.fingerprint });
    const run = launch(['--config-dir', configDir, '--renderer-dir', rendererDir]);
    expect(JSON.parse(await run.firstLine)).toMatchObject({ event: 'console-ready' });
    run.kill('SIGINT');
    expect((await run.exit).code).toBe(0);
  });

  it('explains a missing configuration and exits 1', async () => {
    const run = launch(['--config-dir', join(base, 'empty'), '--renderer-dir', rendererDir]);
    const { code, stderr } = await run.exit;
    expect(code).toBe(1);
    expect(stderr).toMatch(/pass --service-url and --fingerprint/);
    expect(await run.stdoutLines).toEqual([]);
  });

  it('rejects unknown flags with usage and exits 2', async () => {
    const { code, stderr } = await launch(['--no-such-flag']).exit;
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: npm run console:web');
  });
});
