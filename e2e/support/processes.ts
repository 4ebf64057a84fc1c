import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

const READY_MS = 300_000;

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
    // Generous: on a loaded machine (two cores shared by several test runs) a seeding start has been seen to take three minutes.
    const timer = setTimeout(() => reject(new Error(`${args[0]} not ready after ${READY_MS / 1000} s:\n${stderr}`)), READY_MS);
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
  demo?: { token: string; email: string; password: string; totpSecret: string; people?: { email: string; totpSecret: string }[] };
}

export interface DemoOfficer {
  email: string;
  password: string;
  /** Base32: the test computes codes from it, as an authenticator app would. */
  totpSecret: string;
}

export interface RunningService extends Running<ServiceReady> {
  /** An operator API token, for the test's own direct reads of the service. */
  readonly token: string;
  readonly officer: DemoOfficer;
  /** Another demo person by email (same password as the officer), for a second console. */
  person(email: string): DemoOfficer;
}

type DemoCredentials = NonNullable<ServiceReady['demo']>;

const serveArgs = (dataDir: string, port = '0'): string[] => ['service/cli/attest-service.ts', '--data', dataDir, '--port', port];

/** A demo service seeded once and stopped: its data directory and what it printed. */
interface DemoTemplate {
  readonly dataDir: string;
  readonly demo: DemoCredentials;
}

let template: Promise<DemoTemplate> | undefined;

/**
 * Seeding takes most of a demo service's start (migrations, password hashes, the
 * demo's tenants and people), so a worker seeds once and every service it starts
 * opens a copy of that folder: same people, same secrets, same certificate, its own data.
 */
const demoTemplate = (): Promise<DemoTemplate> => {
  // A seeding that failed is tried again by the next service asked for, not held against every later spec.
  template ??= seedTemplate().catch((err: unknown) => {
    template = undefined;
    throw err;
  });
  return template;
};

async function seedTemplate(): Promise<DemoTemplate> {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-e2e-template-'));
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const seeding = await spawnUntilReady<ServiceReady>([...serveArgs(dataDir), '--demo'], {});
  // Stopped (its database closed) before anything copies the folder.
  await seeding.stop();
  const demo = seeding.info.demo;
  if (!demo?.token || !demo.email || !demo.password || !demo.totpSecret) {
    throw new Error('the demo service printed no demo credentials (token, email, password, totpSecret)');
  }
  return { dataDir, demo };
}

/** A fresh copy of the seeded demo data and its credentials. */
async function demoDataCopy(): Promise<DemoTemplate> {
  const seeded = await demoTemplate();
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-e2e-service-'));
  cpSync(seeded.dataDir, dataDir, { recursive: true });
  return { dataDir, demo: seeded.demo };
}

/** The real service on demo data of its own (a copy of the worker's seeded folder). */
export async function startDemoService(): Promise<RunningService> {
  const { dataDir, demo } = await demoDataCopy();
  const running = await spawnUntilReady<ServiceReady>(serveArgs(dataDir), {});
  return demoService(dataDir, running, demo);
}

export interface RestartableService extends RunningService {
  /**
   * Stops the service, runs `offline` while nothing holds its data directory (its
   * PGlite database can only be opened by one process), and starts it again on the
   * same data, port and certificate.
   */
  restart(offline: (dataDir: string) => Promise<void>): Promise<void>;
  /** Stops the service process and keeps its data directory (the network going away). */
  pause(): Promise<void>;
  /** Starts it again on the same data directory, port and certificate. */
  resume(): Promise<void>;
}

/** The demo service, restartable on its data directory (see RestartableService.restart). */
export async function startRestartableDemoService(): Promise<RestartableService> {
  const { dataDir, demo } = await demoDataCopy();
  let running = await spawnUntilReady<ServiceReady>(serveArgs(dataDir), {});
  const first = demoService(dataDir, running, demo);
  const port = new URL(running.info.url).port;
  const pause = (): Promise<void> => running.stop();
  const resume = async (): Promise<void> => {
    running = await spawnUntilReady<ServiceReady>(serveArgs(dataDir, port), {});
    if (running.info.fingerprint !== first.info.fingerprint) throw new Error('the restarted service presents another certificate');
  };
  return {
    ...first,
    get info() {
      return running.info;
    },
    async restart(offline) {
      await pause();
      await offline(dataDir);
      await resume();
    },
    pause,
    resume,
    async stop() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function demoService(dataDir: string, running: Running<ServiceReady>, demo: DemoCredentials): RunningService {
  return {
    ...running,
    token: demo.token,
    officer: { email: demo.email, password: demo.password, totpSecret: demo.totpSecret },
    person(email) {
      const found = demo.people?.find((p) => p.email === email);
      if (!found) throw new Error(`the demo service printed no credentials for ${email}`);
      return { email, password: demo.password, totpSecret: found.totpSecret };
    },
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

export interface ConsoleProfile {
  /** OS keychain service name: where the console keeps its refresh token. */
  keychainService: string;
  /** Console settings folder (service URL and pin). */
  configDir: string;
}

/** A keychain service name and settings folder of its own, so a second console process can pick up the first one's session. */
export function newConsoleProfile(): ConsoleProfile {
  return {
    keychainService: `attest-e2e-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
    configDir: mkdtempSync(join(tmpdir(), 'attest-e2e-console-')),
  };
}

/**
 * The real console core in browser mode, pinned to `fingerprint`. Nothing is
 * stored for it: a person signs in through the page, and the console keeps the
 * session's refresh token in the OS keychain under the profile's service name.
 */
export async function startConsole(opts: { serviceUrl: string; fingerprint: string; profile: ConsoleProfile }): Promise<Running<ConsoleReady>> {
  return spawnUntilReady<ConsoleReady>(
    [
      'electron/web/launch.ts',
      '--service-url',
      opts.serviceUrl,
      '--fingerprint',
      opts.fingerprint,
      '--config-dir',
      opts.profile.configDir,
      '--port',
      '0',
    ],
    { ATTEST_KEYCHAIN_SERVICE: opts.profile.keychainService },
  );
}

/** The console in browser mode with nothing configured: it opens on its Connect screen. */
export async function startUnconfiguredConsole(profile: ConsoleProfile): Promise<Running<ConsoleReady>> {
  return spawnUntilReady<ConsoleReady>(['electron/web/launch.ts', '--config-dir', profile.configDir, '--port', '0'], {
    ATTEST_KEYCHAIN_SERVICE: profile.keychainService,
  });
}

export function removeConsoleProfile(profile: ConsoleProfile): void {
  rmSync(profile.configDir, { recursive: true, force: true });
}

/** Runs a CLI to its end; resolves with its stdout, rejects (with stderr) on a non-zero exit. */
export async function runCli(args: string[]): Promise<string> {
  const child = spawn(tsx, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}:\n${stderr}`);
  return stdout;
}

/** The real service on an existing data directory (no demo data): what an operator runs after `init`. */
export async function startServiceOn(dataDir: string): Promise<Running<ServiceReady>> {
  return spawnUntilReady<ServiceReady>(serveArgs(dataDir), {});
}

/** A fresh, empty data directory. */
export const newDataDir = (): string => mkdtempSync(join(tmpdir(), 'attest-e2e-fresh-'));

/** A platform admin made with the CLI on a data directory: the account staff sign in with. */
export async function addPlatformAdmin(dataDir: string): Promise<{ email: string; password: string; totpSecret: string }> {
  const cli = 'service/cli/attest-service.ts';
  const args = [cli, 'user', 'add', '--email', 'ops@operator.example', '--name', 'Theo Marsh', '--platform-role', 'platform_admin', '--data', dataDir];
  return JSON.parse(await runCli(args)) as { email: string; password: string; totpSecret: string };
}

/** The service on a data directory and a console connected to it, both added to `running` (stopped by the caller). */
export async function startServiceAndConsole(dataDir: string, profile: ConsoleProfile, running: Running<unknown>[]): Promise<Running<ConsoleReady>> {
  const service = await startServiceOn(dataDir);
  running.push(service);
  const consoleProcess = await startConsole({ serviceUrl: service.info.url, fingerprint: service.info.fingerprint, profile });
  running.push(consoleProcess);
  return consoleProcess;
}
