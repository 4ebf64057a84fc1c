import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

export interface Running<T> {
  readonly info: T;
  stop(): Promise<void>;
}

/** Spawns a CLI and resolves with the first JSON line it prints to stdout. */
async function spawnUntilReady<T>(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<Running<T>> {
  const child = spawn(tsx, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  if (stdin !== undefined) child.stdin.end(stdin);
  else child.stdin.end();
  const lines = createInterface({ input: child.stdout });
  const info = await new Promise<T>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} not ready after 60 s:\n${stderr}`)), 60_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolveReady(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${args[0]} printed a line that is not JSON: ${line}\n${stderr}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited with ${code} before it was ready:\n${stderr}`));
    });
  });
  return { info, stop: () => stop(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface ServiceReady {
  event: 'ready';
  url: string;
  fingerprint: string;
  dataDir: string;
  demo?: { token: string };
}

export interface RunningService extends Running<ServiceReady> {
  readonly token: string;
}

/** The real service on a fresh data directory with demo data. */
export async function startDemoService(): Promise<RunningService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-e2e-service-'));
  const running = await spawnUntilReady<ServiceReady>(
    ['service/cli/attest-service.ts', '--data', dataDir, '--port', '0', '--demo'],
    {},
  );
  const token = running.info.demo?.token;
  if (!token) throw new Error('the demo service printed no token');
  return {
    ...running,
    token,
    async stop() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ConsoleReady {
  event: 'console-ready';
  url: string;
}

/**
 * The real console core in browser mode, pinned to `fingerprint`, with `token`
 * stored in the OS keychain under a keychain service name of its own.
 */
export async function startConsole(opts: { serviceUrl: string; fingerprint: string; token: string }): Promise<Running<ConsoleReady>> {
  const configDir = mkdtempSync(join(tmpdir(), 'attest-e2e-console-'));
  const running = await spawnUntilReady<ConsoleReady>(
    [
      'electron/web/launch.ts',
      '--service-url',
      opts.serviceUrl,
      '--fingerprint',
      opts.fingerprint,
      '--config-dir',
      configDir,
      '--port',
      '0',
      '--token-stdin',
    ],
    { ATTEST_KEYCHAIN_SERVICE: `attest-e2e-${process.pid}-${Date.now()}` },
    `${opts.token}\n`,
  );
  return {
    ...running,
    async stop() {
      await running.stop();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}
