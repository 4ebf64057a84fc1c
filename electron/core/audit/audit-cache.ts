import { createReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { AuditEventPage } from '../../../shared/audit/api';
import { AuditEventSchema, type AuditEvent } from '../../../shared/audit/event';
import { CoreError } from '../core-error';
import { createBufferedFile, syncDirectory, tempPathFor } from '../../../shared/node/durable-file';
import type { AuditEventFilters, AuditLogSource } from './audit-source';
import type { AuditStateStore } from './audit-state';

export const AUDIT_CACHE_DIR = 'audit-cache';

const cachePath = (dir: string, tenantId: string): string => join(dir, AUDIT_CACHE_DIR, `${z.uuid().parse(tenantId)}.ndjson`);

export interface AuditCacheWriter {
  append(event: AuditEvent): Promise<void>;
  /** fsyncs and puts the copy in place of the previous one. */
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * The offline copy of one log: NDJSON, one event a line, appended while Verify log
 * downloads and swapped in (fsync, rename) when the download is complete, so a
 * half-finished run never replaces a whole copy.
 */
export async function openAuditCacheWriter(dir: string, tenantId: string): Promise<AuditCacheWriter> {
  const path = cachePath(dir, tenantId);
  await mkdir(join(dir, AUDIT_CACHE_DIR), { recursive: true, mode: 0o700 });
  const temp = tempPathFor(path);
  const file = await createBufferedFile(temp);
  return {
    append: (event) => file.write(`${JSON.stringify(event)}\n`),
    async commit() {
      await file.close();
      await rename(temp, path);
      await syncDirectory(join(dir, AUDIT_CACHE_DIR));
    },
    async abort() {
      await file.destroy();
      await rm(temp, { force: true });
    },
  };
}

const matches = (event: AuditEvent, filters: AuditEventFilters): boolean =>
  (filters.from === undefined || Date.parse(event.at) >= Date.parse(filters.from)) &&
  (filters.to === undefined || Date.parse(event.at) < Date.parse(filters.to)) &&
  (filters.actor === undefined || event.actor.id === filters.actor) &&
  (filters.action === undefined || event.action === filters.action) &&
  (filters.actionPrefix === undefined || event.action.startsWith(filters.actionPrefix)) &&
  (filters.target === undefined || (filters.target.endsWith(':') ? event.target.startsWith(filters.target) : event.target === filters.target)) &&
  (filters.outcome === undefined || event.outcome === filters.outcome);

/**
 * The offline copy as a log source: events from the cache file, keys and the tree
 * head from what the console itself verified earlier. It has no proofs.
 */
export function cachedAuditSource(dir: string, store: AuditStateStore): AuditLogSource {
  // Verify log reads page after page: keep reading where the last page stopped instead of rescanning.
  const readers = new Map<string, { next: string | null; lines: AsyncIterator<string>; close(): void }>();

  const openReader = (tenantId: string) => {
    const stream = createReadStream(cachePath(dir, tenantId), { encoding: 'utf8' });
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    return { next: '0' as string | null, lines: lines[Symbol.asyncIterator](), close: () => lines.close() };
  };

  return {
    kind: 'cache',
    async keys() {
      return (await store.read()).keys.map((k) => k.key);
    },
    async treeHead(tenantId) {
      const head = (await store.read()).logs[tenantId]?.verifiedHead;
      if (!head) throw new CoreError('not_found', 'This log was never verified online, so there is no tree head to check an offline copy against.');
      return head;
    },
    async events(tenantId, { cursor, limit, ...filters }) {
      const after = Number(cursor ?? '0');
      const key = `${tenantId} ${JSON.stringify(filters)}`;
      let reader = readers.get(key);
      if (!reader || reader.next === null || Number(reader.next) > after) {
        reader?.close();
        reader = openReader(tenantId);
        readers.set(key, reader);
      }
      const items: AuditEvent[] = [];
      let line: IteratorResult<string>;
      try {
        while (items.length < limit && !(line = await reader.lines.next()).done) {
          if (line.value === '') continue;
          const event = AuditEventSchema.safeParse(safeJson(line.value));
          if (!event.success) throw new CoreError('unexpected_response', `The offline copy of log ${tenantId} has a damaged line; run Verify log online to download it again.`);
          if (event.data.seq <= after || !matches(event.data, filters)) continue;
          items.push(event.data);
        }
      } catch (error) {
        readers.delete(key);
        reader.close();
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new CoreError('not_found', `There is no offline copy of log ${tenantId} yet: run Verify log once while the service is reachable.`);
        }
        throw error;
      }
      const last = items.at(-1);
      const nextCursor = items.length === limit && last ? String(last.seq) : null;
      reader.next = nextCursor;
      if (nextCursor === null) {
        reader.close();
        readers.delete(key);
      }
      return { items, nextCursor } satisfies AuditEventPage;
    },
    inclusionProof: () => Promise.reject(noProofs()),
    consistencyProof: () => Promise.reject(noProofs()),
  };
}

const noProofs = () => new CoreError('service_unreachable', 'The offline copy holds events but no proofs; reconnect to the service to fetch them.');

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
