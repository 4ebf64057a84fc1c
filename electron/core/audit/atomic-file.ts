import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temp file beside `path`, so the final rename stays on one file system. */
export const tempPathFor = (path: string): string =>
  join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);

/** Replaces `path` atomically: a reader (or a crash) sees the old content or the new, never a torn file. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = tempPathFor(path);
  try {
    const file = await open(temp, 'wx', 0o600);
    try {
      await file.writeFile(content, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** The rename is only durable once the directory entry is on disk too. */
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
