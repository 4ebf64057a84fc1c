import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditExportFormat } from '../../../shared/audit/api';
import type { AuditEvent } from '../../../shared/audit/event';
import { createBufferedFile, syncDirectory, tempPathFor } from '../storage/durable-file';
import type { AuditEventFilters, AuditLogSource } from './audit-source';
import type { ProgressListener } from './audit-verifier';

export const CSV_COLUMNS = [
  'seq',
  'at',
  'tenant_id',
  'actor_type',
  'actor_id',
  'action',
  'target',
  'outcome',
  'request_id',
  'details',
  'personal_commitment',
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

/** Streams a log to `path` page by page (memory stays flat); the file appears complete or not at all. */
export async function exportAuditLog(options: ExportOptions): Promise<{ path: string; events: number; bytes: number }> {
  const { source, tenantId, format, path } = options;
  const temp = tempPathFor(path);
  const file = await createBufferedFile(temp);
  let events = 0;
  try {
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
