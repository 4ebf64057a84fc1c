/**
 * `npm start`: the embedded service on a per-user data directory (demo data on
 * first run), then the console — in Electron where its binary is installed, else
 * in browser mode. People sign in in the console; it keeps its session in the OS keychain.
 *
 * Environment: ATTEST_DATA_DIR (the service's data), ATTEST_PORT (its port, default 8443;
 * when taken, the next free one, said on stderr), ATTEST_CONFIG_DIR (the console's settings).
 * stdout carries only the browser-mode link; everything for people goes to stderr.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { resolveConfigDir } from '../electron/core/config/console-config';
import { saveServiceSettings } from '../electron/core/config/service-storage';
import { firstFreePort } from './free-port';
import { createKeytarVault } from '../electron/core/vault/keytar-vault';
import { defaultDataDir } from '../service/start/data-dir';
import { demoSignInFile, type DemoSignIn } from './demo-sign-in';

const root = resolve(import.meta.dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const children: ChildProcess[] = [];

const say = (message: string) => console.error(`attest: ${message}`);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function buildIfStale(what: string, script: string, output: string, sources: string[]) {
  const built = existsSync(output) ? statSync(output).mtimeMs : 0;
  if (built > 0 && sources.every((s) => newestMtime(join(root, s)) <= built)) return;
  say(`building the ${what}…`);
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm run ${script} failed`);
}

/** Spawns a CLI and resolves with the JSON object of its first stdout line. */
async function spawnReady<T>(args: string[], stdin?: string): Promise<{ child: ChildProcess; ready: T }> {
  // The service's request log would drown the console's link; warnings and errors still show.
  const child = spawn(tsx, args, { cwd: root, stdio: ['pipe', 'pipe', 'inherit'], env: { ATTEST_LOG_LEVEL: 'warn', ...process.env } });
  children.push(child);
  child.stdin?.end(stdin ?? '');
  const line = await new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout! }).once('line', ok);
    child.once('exit', (code) => fail(new Error(`${args[0]} exited with ${code} before it was ready`)));
  });
  return { child, ready: JSON.parse(line) as T };
}

const DEFAULT_PORT = 8443;

/** ATTEST_PORT, or the next free port when something else listens there. */
async function servicePort(): Promise<number> {
  const text = process.env.ATTEST_PORT?.trim() || String(DEFAULT_PORT);
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65_535) {
    throw new Error(`ATTEST_PORT must be a port number from 1 to 65535, not "${text}"`);
  }
  const wanted = Number(text);
  const port = await firstFreePort(wanted);
  if (port === null) throw new Error(`port ${wanted} and the 19 after it are in use: stop what listens there, or set ATTEST_PORT to a free port`);
  if (port !== wanted) say(`port ${wanted} is in use (by another program): the service listens on ${port} instead; set ATTEST_PORT to choose`);
  return port;
}

async function main() {
  buildIfStale('console', 'build:renderer', join(root, 'renderer', 'dist', 'index.html'), ['renderer', 'shared']);

  const dataDir = process.env.ATTEST_DATA_DIR ?? defaultDataDir();
  if (process.env.ATTEST_KEYRING_HOME) {
    say('no desktop session bus: using a temporary keychain for this run (nothing of it is kept after exit)');
  }
  // Fails here, before anything starts, if there is no OS keychain.
  await createKeytarVault().get('refresh-token');

  const port = await servicePort();
  const { ready } = await spawnReady<{
    url: string;
    fingerprint: string;
    demo?: { email?: string; password?: string; totpSecret?: string };
  }>([
    'service/cli/attest-service.ts',
    '--data',
    dataDir,
    '--port',
    String(port),
    '--demo',
    // `npm start -- --demo large`: the demo with a tenant at scale (on a new data directory).
    ...(process.argv.slice(2).some((arg, i, all) => arg === 'large' && all[i - 1] === '--demo') ? ['large'] : []),
  ]);
  const demoFile = demoSignInFile(dataDir);
  if (ready.demo?.email && ready.demo.password && ready.demo.totpSecret) {
    say('new data directory: seeded demo data');
    // Kept beside the database and key files it unlocks (owner-only), so later starts can show it again.
    const { email, password, totpSecret } = ready.demo;
    const demo: DemoSignIn = { email, password, totpSecret };
    writeFileSync(demoFile, `${JSON.stringify(demo)}\n`, { mode: 0o600 });
  }
  if (existsSync(demoFile)) {
    const demo = JSON.parse(readFileSync(demoFile, 'utf8')) as DemoSignIn;
    say(`demo sign-in: ${demo.email} / ${demo.password}; authenticator secret ${demo.totpSecret}`);
    say('  the current code: npm run -s demo:code');
  }
  say(`service ${ready.url} (certificate SPKI SHA-256 ${ready.fingerprint}), data in ${dataDir}`);
  const configDir = resolveConfigDir(undefined);
  await saveServiceSettings(configDir, { serviceUrl: ready.url, fingerprint: ready.fingerprint });
  say(`console settings in ${configDir}`);

  const electronBinary = join(root, 'node_modules', 'electron', 'path.txt');
  if (existsSync(electronBinary)) {
    buildIfStale('Electron shell', 'build:electron', join(root, 'dist-electron', 'main.cjs'), ['electron', 'shared']);
    const app = spawn(join(root, 'node_modules', '.bin', 'electron'), [root], { cwd: root, stdio: 'inherit' });
    children.push(app);
    app.once('exit', () => shutdown(0));
    return;
  }
  const { ready: consoleReady } = await spawnReady<{ url: string }>(['electron/web/launch.ts']);
  say('no Electron binary installed: the console runs in browser mode. Open this link in a browser on this machine:');
  console.log(consoleReady.url);
  say('Ctrl+C stops the console and the service.');
}

let stopping = false;
function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  // Reverse order: the console first, then the service (which closes its database).
  const alive = children.filter((c) => c.exitCode === null && c.signalCode === null).reverse();
  let pending = alive.length;
  if (pending === 0) process.exit(code);
  for (const child of alive) {
    child.once('exit', () => {
      pending -= 1;
      if (pending === 0) process.exit(code);
    });
    child.kill('SIGTERM');
  }
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

main().catch((error: unknown) => {
  say(error instanceof Error ? error.message : String(error));
  shutdown(1);
});
