import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Durable file writes for Node (the service and the console's core): shared/node
 * is the one part of shared/ that may use Node built-ins, and the renderer may
 * not import it (.dependency-cruiser.cjs).
 */

/** Writes all of `bytes` at `position` (a write may be partial). */
export async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** Makes a rename or a new file in `dir` durable: the directory entry itself must reach the disk. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems cannot fsync a directory; the rename itself already happened.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR') throw error;
  } finally {
    await handle.close();
  }
}

/** A temp file's name beside `path`, unique per call, so concurrent writers never share one. */
export const tempPathFor = (path: string): string => join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);

const isTempOf = (path: string, name: string): boolean => {
  const prefix = `.${basename(path)}.`;
  return name.startsWith(prefix) && /^\d+\.[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length));
};

/** Removes temp files a process killed in the middle of `replaceFileDurably(path, …)` left behind; returns how many. */
export async function removeStaleTempFiles(path: string): Promise<number> {
  const stale = (await readdir(dirname(path))).filter((name) => isTempOf(path, name));
  await Promise.all(stale.map((name) => rm(join(dirname(path), name), { force: true })));
  return stale.length;
}

/**
 * Replaces `path` with `bytes` so that a crash at any point leaves either the old
 * file or the new one, complete: temp file, fsync, rename, fsync of the directory.
 * The file is owner-only (0600) unless `mode` says otherwise; it holds its mode
 * from creation on, so its content is never readable by others in between.
 */
export async function replaceFileDurably(path: string, content: Uint8Array | string, options: { mode?: number } = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const temp = tempPathFor(path);
  const mode = options.mode ?? 0o600;
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      // open's mode is filtered by the umask; say it exactly.
      if (process.platform !== 'win32') await handle.chmod(mode);
      await writeAll(handle, bytes, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

export interface BufferedFile {
  write(text: string): Promise<void>;
  /** Bytes written so far, buffered ones included. */
  readonly bytes: number;
  /** Flushes, fsyncs and closes. */
  close(): Promise<void>;
  /** Closes without caring about the content (the caller removes the file). */
  destroy(): Promise<void>;
}

const FLUSH_AT = 1 << 16;

/** A new file written in 64 KiB chunks: each chunk is awaited, so memory stays flat whatever the size. */
export async function createBufferedFile(path: string): Promise<BufferedFile> {
  const handle = await open(path, 'wx', 0o600);
  let parts: string[] = [];
  let pending = 0;
  let bytes = 0;
  let closed = false;
  const flush = async (): Promise<void> => {
    if (parts.length === 0) return;
    const chunk = Buffer.from(parts.join(''), 'utf8');
    parts = [];
    pending = 0;
    await handle.write(chunk);
  };
  return {
    get bytes() {
      return bytes;
    },
    async write(text) {
      parts.push(text);
      pending += text.length;
      bytes += Buffer.byteLength(text, 'utf8');
      if (pending >= FLUSH_AT) await flush();
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await flush();
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async destroy() {
      if (closed) return;
      closed = true;
      await handle.close().catch(() => undefined);
    },
  };
}
