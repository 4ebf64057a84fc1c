import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConnectionFile, parseConnectionLink } from '../../shared/connection/connection-file';
import { removeTempDirs, tempDir } from '../testing/databases';
import { ensureCertificate, tlsPaths } from '../tls/certificate';
import { spkiFingerprint } from '../tls/spki-fingerprint';

const CLI = fileURLToPath(new URL('./attest-service.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The real CLI, as `npm run -s service -- connection-file` runs it. */
const run = async (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'connection-file', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
};

describe('attest-service connection-file', () => {
  afterAll(removeTempDirs);

  it('prints the file on stdout and the link on stderr, both with the pin of the data directory certificate; --link prints only the link', async () => {
    const dataDir = tempDir('attest-connfile-');
    await ensureCertificate(dataDir);
    const pin = spkiFingerprint(readFileSync(tlsPaths(dataDir).cert, 'utf8'));
    const printed = await run(['--data', dataDir, '--url', 'https://attest.example.eu:9443', '--label', 'Acme EU production', '--region', 'eu']);
    expect(printed.code, printed.stderr).toBe(0);
    const expected = { serviceUrl: 'https://attest.example.eu:9443', fingerprint: pin, label: 'Acme EU production', region: 'eu' };
    expect(parseConnectionFile(printed.stdout)).toEqual({ ok: true, target: expected });
    const linkOnStderr = printed.stderr.split('\n').find((line) => line.startsWith('attest://connect?')) ?? '';
    expect(parseConnectionLink(linkOnStderr)).toEqual({ ok: true, target: expected });

    const link = await run(['--data', dataDir, '--link']);
    expect(link.code, link.stderr).toBe(0);
    expect(link.stdout.split('\n')).toEqual([expect.stringMatching(/^attest:\/\/connect\?/), '']);
    expect(parseConnectionLink(link.stdout)).toEqual({ ok: true, target: { serviceUrl: 'https://127.0.0.1:8443', fingerprint: pin } });
  });

  it('refuses plain HTTP, a bad region and a folder without a certificate, printing nothing on stdout', async () => {
    const http = await run(['--url', 'http://attest.example.eu']);
    expect(http.code).toBe(2);
    expect(http.stderr).toContain('--url must be an https:// address');
    expect(http.stdout).toBe('');

    const region = await run(['--region', 'mars']);
    expect(region.code).toBe(2);
    expect(region.stderr).toContain('--region must be eu or us');

    const empty = tempDir('attest-connfile-empty-');
    const missing = await run(['--data', empty]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no service certificate in ${empty}`);
    expect(missing.stderr).toContain('start the service once');
    expect(missing.stdout).toBe('');
  });
});
