/**
 * The processes of the console bench: the service with `--demo large` (seeded once per data
 * directory, then reused: seeding takes minutes) and a browser-mode console on it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

export interface Process<T> {
  readonly info: T;
  stop(): Promise<void>;
}

export interface DemoSignIn {
  readonly email: string;
  readonly password: string;
  readonly totpSecret: string;
}

/** Spawns (in a process group of its own) and resolves with the first stdout line as JSON; stderr lines go to `onStderr`. */
const spawnReady = async <T>(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  onStderr: (line: string) => void,
  group = false,
): Promise<Process<T>> => {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  createInterface({ input: child.stderr }).on('line', onStderr);
  const info = await new Promise<T>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${args.join(' ')}: not ready after ${timeoutMs / 1000} s`)), timeoutMs);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      ok(JSON.parse(line) as T);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${args.join(' ')} exited with ${code} before it was ready`));
    });
  });
  return { info, stop: () => stopGroup(child, group) };
};

/** SIGTERM to the child (which passes it on), or to its whole group where a wrapper would not (the keyring's D-Bus session). */
const stopGroup = async (child: ChildProcess, group = false): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (group) process.kill(-child.pid, 'SIGTERM');
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
};

interface ServiceReady {
  url: string;
  fingerprint: string;
  demo?: DemoSignIn;
}

/**
 * The service on ATTEST_BENCH_DATA_DIR (default: a folder in the temp directory; with DATABASE_URL,
 * that database), seeded with `--demo large` on the first run. The demo sign-in is kept in the data
 * directory (owner-only), as `npm start` keeps its own.
 */
export const startLargeDemoService = async (): Promise<Process<ServiceReady & { signIn: DemoSignIn }>> => {
  const dataDir = process.env.ATTEST_BENCH_DATA_DIR ?? join(tmpdir(), 'attest-bench-large-demo');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const signInFile = join(dataDir, 'bench-demo-sign-in.json');
  const args = ['service/cli/attest-service.ts', '--data', dataDir, '--port', '0', '--demo', 'large'];
  const running = await spawnReady<ServiceReady>(tsx, args, { ATTEST_LOG_LEVEL: 'warn' }, 30 * 60_000, (line) => console.error(line));
  if (running.info.demo) {
    const { email, password, totpSecret } = running.info.demo;
    writeFileSync(signInFile, `${JSON.stringify({ email, password, totpSecret })}\n`, { mode: 0o600 });
  }
  if (!existsSync(signInFile)) {
    await running.stop();
    throw new Error(`${dataDir} holds data that was not seeded by this bench; remove it or set ATTEST_BENCH_DATA_DIR`);
  }
  const signIn = JSON.parse(readFileSync(signInFile, 'utf8')) as DemoSignIn;
  return { info: { ...running.info, signIn }, stop: running.stop };
};

/** The console core in browser mode, with a keychain of its own (scripts/with-keyring.sh), pinned to the service. */
export const startBrowserConsole = async (service: { url: string; fingerprint: string }): Promise<Process<{ url: string }>> => {
  const configDir = mkdtempSync(join(tmpdir(), 'attest-bench-console-'));
  const args = [
    join(root, 'scripts', 'with-keyring.sh'),
    tsx,
    'electron/web/launch.ts',
    '--service-url',
    service.url,
    '--fingerprint',
    service.fingerprint,
    '--config-dir',
    configDir,
    '--port',
    '0',
    // A renderer built elsewhere (e.g. another commit's, for a before/after); renderer/dist by default.
    ...(process.env.ATTEST_BENCH_RENDERER_DIR ? ['--renderer-dir', process.env.ATTEST_BENCH_RENDERER_DIR] : []),
  ];
  const env = { ATTEST_PRIVATE_KEYRING: '1', ATTEST_KEYCHAIN_SERVICE: `attest-bench-${process.pid}` };
  const running = await spawnReady<{ url: string }>('bash', args, env, 120_000, () => {}, true);
  return {
    info: running.info,
    stop: async () => {
      await running.stop();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
};
