import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstFreePort } from './free-port';

const root = resolve(import.meta.dirname, '..');
const dirs: string[] = [];
const temp = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

/** `npm start` after its setup step: the real script, in a keychain of its own. */
function start(env: Record<string, string>) {
  const child = spawn('bash', ['scripts/with-keyring.sh', join(root, 'node_modules', '.bin', 'tsx'), 'scripts/start-console.ts'], {
    cwd: root,
    env: { ...process.env, ATTEST_PRIVATE_KEYRING: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exit,
    async firstLine(timeoutMs = 150_000): Promise<string> {
      const started = Date.now();
      while (!stdout.includes('\n')) {
        if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}: ${stderr}`);
        if (Date.now() - started > timeoutMs) throw new Error(`no link on stdout: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return stdout.split('\n')[0] ?? '';
    },
    /** Ctrl+C, as a person stops it: the whole process group. */
    stop: () => process.kill(-child.pid!, 'SIGINT'),
  };
}

const occupy = async (port: number): Promise<Server> => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
};

describe('npm start (scripts/start-console.ts)', () => {
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('honours ATTEST_DATA_DIR, ATTEST_CONFIG_DIR and ATTEST_PORT, takes the next free port when that one is busy, and prints only the link on stdout', async () => {
    const wanted = (await firstFreePort(20_000 + Math.floor(Math.random() * 20_000)))!;
    const busy = await occupy(wanted);
    const dataDir = join(temp('attest-start-data-'), 'service');
    const configDir = join(temp('attest-start-config-'), 'attest');
    const run = start({ ATTEST_DATA_DIR: dataDir, ATTEST_CONFIG_DIR: configDir, ATTEST_PORT: String(wanted) });
    try {
      const link = await run.firstLine();
      expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#bridge=[A-Za-z0-9_-]{43}$/);
      const taken = /port (\d+) is in use \(by another program\): the service listens on (\d+) instead/.exec(run.stderr());
      expect(taken?.[1]).toBe(String(wanted));
      const port = Number(taken?.[2]);
      expect(port).toBeGreaterThan(wanted);
      expect(JSON.parse(readFileSync(join(configDir, 'console.json'), 'utf8'))).toMatchObject({ serviceUrl: `https://127.0.0.1:${port}` });
      expect(existsSync(join(dataDir, 'tls', 'cert.pem'))).toBe(true);
      expect(run.stderr()).toContain(`data in ${dataDir}`);
    } finally {
      run.stop();
      await run.exit;
      busy.close();
    }
    expect(run.stdout().split('\n')).toEqual([expect.stringMatching(/^http:\/\/127\.0\.0\.1:/), '']);
  }, 200_000);

  it('refuses an ATTEST_PORT that is not a port, before starting anything', async () => {
    const run = start({ ATTEST_DATA_DIR: join(temp('attest-start-data-'), 'service'), ATTEST_CONFIG_DIR: temp('attest-start-config-'), ATTEST_PORT: '84x3' });
    expect(await run.exit).not.toBe(0);
    expect(run.stderr()).toContain('ATTEST_PORT must be a port number from 1 to 65535, not "84x3"');
    expect(run.stdout()).toBe('');
  }, 60_000);
});
