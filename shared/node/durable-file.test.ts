import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replaceFileDurably } from './durable-file';

const dir = mkdtempSync(join(tmpdir(), 'attest-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replaceFileDurably', () => {
  it('replaces a file whole, owner-only by default or with the mode asked, whatever the umask, leaving no temp file', async () => {
    const path = join(dir, 'keys', 'secret.key');
    const umask = process.umask(0o077);
    try {
      await replaceFileDurably(path, 'one');
      await replaceFileDurably(path, 'two');
      const cert = join(dir, 'cert.pem');
      await replaceFileDurably(cert, Buffer.from('public'), { mode: 0o644 });
      expect(readFileSync(path, 'utf8')).toBe('two');
      if (process.platform !== 'win32') {
        expect(statSync(path).mode & 0o777).toBe(0o600);
        expect(statSync(cert).mode & 0o777).toBe(0o644);
      }
    } finally {
      process.umask(umask);
    }
    expect(readdirSync(join(dir, 'keys'))).toEqual(['secret.key']);
  });

  it('lets concurrent writers each replace the file whole: the last rename wins, nothing is interleaved', async () => {
    const path = join(dir, 'contended');
    const contents = Array.from({ length: 20 }, (_, i) => String(i).repeat(10_000));
    await Promise.all(contents.map((c) => replaceFileDurably(path, c)));
    expect(contents).toContain(readFileSync(path, 'utf8'));
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
