import { mkdir, open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { numberedName } from '../../../shared/incidents/export-name';

const TRIES = 1000;

/**
 * Claims a path no file has yet, beside `path`: `path` itself, else "name (2).ext", "name (3).ext" …
 * Created empty and owner-only with O_EXCL, so two exports at once never get the same name and an
 * export never overwrites a file (the writer then replaces its own empty claim).
 */
export async function claimFreePath(path: string): Promise<string> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (let n = 1; n <= TRIES; n++) {
    const candidate = join(dir, numberedName(basename(path), n));
    try {
      await (await open(candidate, 'wx', 0o600)).close();
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`no free name beside ${path} after ${TRIES} tries`);
}
