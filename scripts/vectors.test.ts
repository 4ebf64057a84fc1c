import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runVectors } from './vectors';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const vectors = resolve(repoRoot, '..', 'shared', 'vectors');
const work = mkdtempSync(join(tmpdir(), 'attest-vectors-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = (dir: string) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'vectors.ts'), dir], { cwd: repoRoot, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, last: r.stdout.trim().split('\n').at(-1) };
};

describe('npm run vectors', () => {
  it('passes every case of ../shared/vectors', async () => {
    const report = await runVectors(vectors);
    expect(report.failures).toEqual([]);
    expect(report.passed).toBeGreaterThan(500);
  });

  it('runs any folder of the same formats, and fails (exit 1) on a tampered case expected to verify', () => {
    const dir = join(work, 'subset');
    mkdirSync(join(dir, 'deep', 'er'), { recursive: true });
    cpSync(join(vectors, 'rfc6962', 'inclusion', '1'), join(dir, 'incl'), { recursive: true });
    cpSync(join(vectors, 'rfc6962', 'consistency', '2', 'happy-path.json'), join(dir, 'deep', 'er', 'c.json'));
    cpSync(join(vectors, 'otp-rfc4226-rfc6238.json'), join(dir, 'otp.json'));
    writeFileSync(join(dir, 'notes.json'), '{"hello": "world"}');
    const good = cli(dir);
    expect(good.code).toBe(0);
    expect(good.last).toMatch(/^\d+ passed, 0 failed$/);
    expect(good.stderr).toContain('skipped notes.json');

    const happy = JSON.parse(readFileSync(join(vectors, 'rfc6962', 'inclusion', '1', 'happy-path.json'), 'utf8')) as { root: string; wantErr: boolean };
    const root = Buffer.from(happy.root, 'base64');
    root[0]! ^= 1;
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify({ ...happy, root: root.toString('base64'), wantErr: false }));
    const bad = cli(dir);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL tampered\.json \[happy path\]: expected verified, got rejected/);
    expect(bad.last).toMatch(/^\d+ passed, 1 failed$/);
  });

  it('fails when nothing is recognised and exits 2 on a usage error', () => {
    const empty = join(work, 'empty');
    mkdirSync(empty, { recursive: true });
    expect(cli(empty)).toMatchObject({ code: 1, last: '0 passed, 0 failed' });
    expect(cli(join(work, 'missing')).code).toBe(2);
  });
});
