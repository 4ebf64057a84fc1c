import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../testing/databases';
import { defaultDataDir, ensureDataDir } from './data-dir';
import { DataDirInUseError, lockDataDir } from './instance-lock';

describe('the data directory', () => {
  afterAll(removeTempDirs);

  it('defaults to $XDG_DATA_HOME/attest/service, else ~/.local/share/attest/service', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/x/data' })).toBe('/x/data/attest/service');
    expect(defaultDataDir({})).toBe(join(homedir(), '.local', 'share', 'attest', 'service'));
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' })).toBe(join(homedir(), '.local', 'share', 'attest', 'service'));
  });

  it('is created owner-only and returned as an absolute path', () => {
    const dir = join(tempDir(), 'a', 'b');
    const previous = process.umask(0o022);
    try {
      expect(ensureDataDir(dir)).toBe(dir);
    } finally {
      process.umask(previous);
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('is locked by one process at a time; a stale lock is taken over', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    release();
    const again = lockDataDir(dir);
    again();
  });
});
