import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TenantListSchema } from '../../shared/api/endpoints';
import { SpkiFingerprintSchema } from '../../shared/tls/fingerprint';
import { copyPgliteTemplate, removeTempDirs, tempDir } from '../testing/databases';
import { pinnedRequest } from '../testing/pinned-https';
import { spkiFingerprint } from '../tls/spki-fingerprint';

const CLI = fileURLToPath(new URL('./attest-service.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Child = ChildProcessByStdio<null, Readable, Readable>;

/** The real CLI, as `npm run service` runs it (tsx), without the npm wrapper. */
const run = (args: string[]): { child: Child; stdout: () => string; stderr: () => string; exit: Promise<number | null> } => {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const env = { ...inherited, ATTEST_LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, stdout: () => out, stderr: () => err, exit };
};

const waitForLine = async (p: ReturnType<typeof run>, timeoutMs = 30_000): Promise<string> => {
  const started = Date.now();
  while (!p.stdout().includes('\n')) {
    if (p.child.exitCode !== null) throw new Error(`CLI exited ${p.child.exitCode}: ${p.stderr()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`no ready line: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return p.stdout().split('\n')[0] ?? '';
};

const preparedDataDir = async (): Promise<string> => {
  const dir = tempDir('attest-cli-');
  await copyPgliteTemplate(join(dir, 'pgdata'));
  return dir;
};

describe('attest-service CLI', () => {
  afterAll(removeTempDirs);

  it('serves --demo: one ready line on stdout, a working pinned API, a clean SIGTERM', async () => {
    const dataDir = await preparedDataDir();
    const p = run(['--data', dataDir, '--port', '0', '--demo']);
    const line = await waitForLine(p);
    const ready = JSON.parse(line) as { event: string; url: string; fingerprint: string; dataDir: string; demo: { token: string } };
    expect(Object.keys(ready)).toEqual(['event', 'url', 'fingerprint', 'dataDir', 'demo']);
    expect(ready.event).toBe('ready');
    expect(ready.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.dataDir).toBe(dataDir);
    expect(SpkiFingerprintSchema.parse(ready.fingerprint)).toBe(spkiFingerprint(readFileSync(join(dataDir, 'tls', 'cert.pem'))));
    expect(Object.keys(ready.demo)).toEqual(['token']);

    const res = await pinnedRequest(`${ready.url}/v1/tenants`, ready.fingerprint, { headers: { authorization: `Bearer ${ready.demo.token}` } });
    expect(res.status).toBe(200);
    const names = TenantListSchema.parse(res.json()).items.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['Northwind Health', 'Acme Analytics', 'Globex Retail', 'Initech Payroll', 'Umbrella Labs']));

    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    expect(p.stdout()).toBe(`${line}\n`);
    expect(p.stderr()).not.toContain(ready.demo.token);
  });

  it('init prints a token once and refuses once an operator exists; token create issues another', async () => {
    const dataDir = await preparedDataDir();
    const first = run(['init', '--data', dataDir]);
    expect(await first.exit).toBe(0);
    expect(first.stdout()).toMatch(/^atst_op_[A-Za-z0-9_-]{43}\n$/);
    expect(first.stderr()).toMatch(/shown once/);

    const second = run(['init', '--data', dataDir]);
    expect(await second.exit).toBe(1);
    expect(second.stdout()).toBe('');
    expect(second.stderr()).toMatch(/an operator already exists/);

    const another = run(['token', 'create', '--data', dataDir, '--label', 'console (npm start)']);
    expect(await another.exit).toBe(0);
    expect(another.stdout()).toMatch(/^atst_op_[A-Za-z0-9_-]{43}\n$/);
    expect(another.stdout()).not.toBe(first.stdout());
  });

  it('answers bad flags with usage on stderr and exit code 2', async () => {
    const p = run(['--bogus']);
    expect(await p.exit).toBe(2);
    expect(p.stdout()).toBe('');
    expect(p.stderr()).toMatch(/Unknown option '--bogus'[\s\S]*Usage:/);
  });
});
