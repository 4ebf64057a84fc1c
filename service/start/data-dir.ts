import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** `$XDG_DATA_HOME/attest/service`, else `~/.local/share/attest/service`. */
export const defaultDataDir = (env: NodeJS.ProcessEnv = process.env): string => {
  const xdg = env.XDG_DATA_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'share');
  return join(base, 'attest', 'service');
};

/** Creates the data directory owner-only (0700); returns its absolute path. An existing one is left as it is. */
export const ensureDataDir = (dir: string): string => {
  const abs = resolve(dir);
  if (!existsSync(abs)) {
    mkdirSync(abs, { recursive: true, mode: 0o700 });
    // mkdir's mode is filtered by the umask; be explicit.
    if (process.platform !== 'win32') chmodSync(abs, 0o700);
  }
  return abs;
};

export const pgliteDir = (dataDir: string): string => join(dataDir, 'pgdata');
