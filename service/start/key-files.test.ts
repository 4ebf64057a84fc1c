import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { signingKeyPath } from '../audit/signing-key';
import { keyFilePath } from '../crypto/key-ring';
import { removeTempDirs, tempDir } from '../testing/databases';
import { tlsPaths } from '../tls/certificate';

const root = resolve(import.meta.dirname, '../..');

/** The system calls a run of `script` made on files, as strace prints them (one per line). */
const traceFileCalls = async (script: string): Promise<string[]> => {
  const dir = tempDir('attest-trace-');
  const file = join(dir, 'run.mts');
  writeFileSync(file, script);
  const out = join(dir, 'trace.txt');
  await promisify(execFile)(
    'strace',
    ['-f', '-qq', '-s', '512', '-o', out, '-e', 'trace=openat,fsync,fdatasync,rename,renameat,renameat2', '-e', 'signal=none', join(root, 'node_modules/.bin/tsx'), file],
    { cwd: root, timeout: 60_000 },
  );
  return readFileSync(out, 'utf8').split('\n');
};

/**
 * A crash (power loss) right after the service created or rotated a key must not
 * leave an empty or half-written key file, or lose the rename: TOTP secrets sealed
 * under the key, or tree heads signed with it, would be unreadable or unverifiable.
 * Each key file is written to a temp file, fsynced, renamed, and its folder fsynced.
 */
describe('the key files of the data directory', () => {
  afterAll(removeTempDirs);

  it('are written durably: temp file, fsync, rename, fsync of the folder', { timeout: 90_000 }, async () => {
    const dataDir = tempDir('attest-keys-');
    const lines = await traceFileCalls(`
      import { loadOrCreateKeyRing, rotateKeyFile } from ${JSON.stringify(join(root, 'service/crypto/key-ring.ts'))};
      import { loadOrCreateAuditSigner, rotateAuditSigningKey } from ${JSON.stringify(join(root, 'service/audit/signing-key.ts'))};
      import { ensureCertificate } from ${JSON.stringify(join(root, 'service/tls/certificate.ts'))};
      const dir = ${JSON.stringify(dataDir)};
      await loadOrCreateKeyRing(dir);
      await rotateKeyFile(dir);
      await loadOrCreateAuditSigner(dir);
      await rotateAuditSigningKey(dir);
      await ensureCertificate(dir);
    `);
    const files = [keyFilePath(dataDir), signingKeyPath(dataDir), tlsPaths(dataDir).key, tlsPaths(dataDir).cert];
    for (const path of files) {
      const renames = lines.flatMap((line, at) => {
        const m = /rename(?:at2?)?\((?:AT_FDCWD, )?"([^"]+)", (?:AT_FDCWD, )?"([^"]+)"/.exec(line);
        return m?.[2] === path ? [{ at, temp: m[1] ?? '' }] : [];
      });
      expect(renames.length, `${path} is replaced by a rename`).toBeGreaterThan(0);
      for (const { at, temp } of renames) {
        const before = lines.slice(0, at);
        const openedAt = before.findLastIndex((line) => line.includes(`openat(AT_FDCWD, "${temp}"`));
        const fd = /= (\d+)$/.exec(lines[openedAt] ?? '')?.[1];
        expect(fd, `${temp} was opened`).toBeDefined();
        expect(before.slice(openedAt).some((line) => new RegExp(`f(data)?sync\\(${fd}\\)`).test(line)), `${temp} fsynced before its rename`).toBe(true);
        const folder = path.slice(0, path.lastIndexOf('/'));
        const after = lines.slice(at);
        const dirAt = after.findIndex((line) => line.includes(`openat(AT_FDCWD, "${folder}", O_RDONLY`));
        const dirFd = /= (\d+)$/.exec(after[dirAt] ?? '')?.[1];
        expect(dirFd, `${folder} opened after the rename`).toBeDefined();
        expect(after.slice(dirAt).some((line) => new RegExp(`fsync\\(${dirFd}\\)`).test(line)), `${folder} fsynced after the rename`).toBe(true);
      }
    }
    for (const folder of new Set(files.map((f) => f.slice(0, f.lastIndexOf('/'))))) expect(readdirSync(folder).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
