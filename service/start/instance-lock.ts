import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One process per PGlite folder: two PGlite instances on the same files corrupt
 * them. A lock file holds the owner's pid; a lock left by a process that no
 * longer exists (a crash, kill -9) is taken over. Returns the release function.
 */
export const lockDataDir = (dataDir: string): (() => void) => {
  const path = join(dataDir, 'service.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new DataDirInUseError(`${dataDir} is in use by another attest-service process (pid ${pid}); stop it first`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirInUseError(`could not lock ${dataDir} (${path})`);
};
