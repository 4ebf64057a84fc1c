import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditExportFormat } from '../../../shared/audit/api';
import type { AuditEvent } from '../../../shared/audit/event';
import { createBufferedFile, syncDirectory, tempPathFor } from '../../../shared/node/durable-file';
import type { AuditEventFilters, AuditLogSource } from './audit-source';
import type { ProgressListener } from './audit-verifier';

/** The service's export header (service/audit/audit-export.ts): an offline export reads the same as an online one. */
export const CSV_COLUMNS = [
  'seq',
  'at',
  'tenantId',
  'actorType',
  'actorId',
  'action',
  'target',
  'outcome',
  'requestId',
  'details',
  'personalCommitment',
  'personal',
] as const;

/**
 * One CSV cell (RFC 4180 quoting). Text that a spreadsheet would run as a formula
 * gets a leading apostrophe (OWASP CSV injection): audit data is attacker-influenced.
 */
export const csvCell = (value: string | number | null): string => {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const csvRow = (event: AuditEvent): string =>
  [
    event.seq,
    event.at,
    event.tenantId,
    event.actor.type,
    event.actor.id,
    event.action,
    event.target,
    event.outcome,
    event.requestId,
    JSON.stringify(event.details),
    event.personalCommitment,
    event.personal === null ? null : JSON.stringify(event.personal),
  ]
    .map(csvCell)
    .join(',') + '\r\n';

export interface ExportOptions {
  source: AuditLogSource;
  tenantId: string;
  format: AuditExportFormat;
  filters?: AuditEventFilters;
  path: string;
  /** For progress: the number of events expected, when known. */
  total?: number | null;
  onProgress?: ProgressListener;
  pageSize?: number;
}

const PROGRESS_EVERY = 1000;

/** Counts the records of an export as its text arrives: NDJSON lines, or CSV rows (newlines outside quotes) after the header. */
function recordCounter(format: AuditExportFormat): { feed(text: string): void; readonly records: number } {
  let newlines = 0;
  let quoted = false;
  return {
    feed(text) {
      if (format === 'ndjson') {
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) newlines++;
        return;
      }
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 34) quoted = !quoted;
        else if (c === 10 && !quoted) newlines++;
      }
    },
    get records() {
      return format === 'csv' ? Math.max(0, newlines - 1) : newlines;
    },
  };
}

/** `audit-<log>-<size>.<format>`: the size of the log the service exports (as it stood when the export began). */
const sizeFromFilename = (filename: string | null): number | null => {
  const match = filename === null ? null : /-(\d+)\.(?:ndjson|csv)$/.exec(filename);
  return match ? Number(match[1]) : null;
};

/** Filters the service's streamed export cannot apply: with any of them, the export reads the filtered pages instead. */
const hasRowFilters = (filters: AuditEventFilters | undefined): boolean =>
  filters !== undefined && [filters.actor, filters.action, filters.actionPrefix, filters.target, filters.outcome].some((v) => v !== undefined);

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);

/**
 * `attest-audit-<log>[-filtered-<what>]-<time>.<format>`: a file says which filter made it. Ids are cut
 * to 8 characters and no name goes in: a file name is not the place for personal data.
 */
export const exportFileName = (log: string, format: AuditExportFormat, filters: AuditEventFilters, now: Date): string => {
  const parts: string[] = [];
  if (filters.actor) parts.push(`actor-${slug(filters.actor).slice(0, 8)}`);
  if (filters.action) parts.push(`action-${slug(filters.action)}`);
  if (filters.actionPrefix) parts.push(`action-${slug(filters.actionPrefix)}-all`);
  if (filters.target) parts.push(`target-${slug(filters.target)}`);
  if (filters.outcome) parts.push(filters.outcome);
  if (filters.from || filters.to) parts.push('range');
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return `attest-audit-${log}${parts.length > 0 ? `-filtered-${parts.join('_')}` : ''}-${stamp}.${format}`;
};

/**
 * Writes a log to `path`, the file appearing complete or not at all, memory flat
 * whatever the size: from the service's streamed export (bytes passed through as
 * they arrive, never parsed), or page by page from a source without one (the
 * offline copy).
 */
export async function exportAuditLog(options: ExportOptions): Promise<{ path: string; events: number; bytes: number }> {
  const { source, tenantId, format, path } = options;
  const temp = tempPathFor(path);
  const file = await createBufferedFile(temp);
  let events = 0;
  try {
    if (source.export && !hasRowFilters(options.filters)) {
      const range = { from: options.filters?.from, to: options.filters?.to };
      const streamed = await source.export(tenantId, format, range);
      const total = range.from === undefined && range.to === undefined ? (sizeFromFilename(streamed.filename) ?? options.total ?? null) : (options.total ?? null);
      const counter = recordCounter(format);
      const decoder = new TextDecoder('utf-8', { fatal: true });
      let reported = 0;
      try {
        for await (const chunk of streamed.body) {
          const text = decoder.decode(chunk, { stream: true });
          counter.feed(text);
          await file.write(text);
          if (counter.records - reported >= PROGRESS_EVERY) {
            reported = counter.records;
            options.onProgress?.({ phase: 'write', done: reported, total });
          }
        }
        await file.write(decoder.decode());
      } finally {
        streamed.cancel();
      }
      events = counter.records;
      options.onProgress?.({ phase: 'write', done: events, total });
    } else {
      if (format === 'csv') await file.write(`${CSV_COLUMNS.join(',')}\r\n`);
      let cursor: string | undefined;
      for (;;) {
        const page = await source.events(tenantId, { ...options.filters, cursor, limit: options.pageSize ?? 1000 });
        for (const event of page.items) {
          await file.write(format === 'csv' ? csvRow(event) : `${JSON.stringify(event)}\n`);
          events++;
        }
        options.onProgress?.({ phase: 'write', done: events, total: options.total ?? null });
        if (page.nextCursor === null || page.items.length === 0) break;
        cursor = page.nextCursor;
      }
    }
    await file.close();
    await rename(temp, path);
  } catch (error) {
    await file.destroy();
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
  return { path, events, bytes: file.bytes };
}
