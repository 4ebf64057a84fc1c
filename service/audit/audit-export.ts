import type { AuditExportFormat } from '../../shared/audit/api';
import type { AuditEvent } from '../../shared/audit/event';
import type { Db } from '../db/db';
import type { StreamedReply } from '../http/handler';
import { currentTree } from './audit-log';
import { findAuditEvents, type AuditFilter } from './audit-query';
import { inLog } from './tree-heads';

const BATCH = 1000;

const CSV_COLUMNS = ['seq', 'at', 'tenantId', 'actorType', 'actorId', 'action', 'target', 'outcome', 'requestId', 'details', 'personalCommitment', 'personal'];

/** RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with ' (OWASP CSV injection). */
const csvCell = (value: string | number | null): string => {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

const csvRow = (e: AuditEvent): string =>
  [
    e.seq,
    e.at,
    e.tenantId,
    e.actor.type,
    e.actor.id,
    e.action,
    e.target,
    e.outcome,
    e.requestId,
    JSON.stringify(e.details),
    e.personalCommitment,
    e.personal === null ? null : JSON.stringify(e.personal),
  ]
    .map(csvCell)
    .join(',');

/**
 * The log as it stood when the export began, pulled one batch (one short
 * transaction) at a time as the client reads: memory stays constant whatever
 * the log's size, and no transaction stays open for the whole download.
 */
async function* exportLines(db: Db, tenantId: string, filter: AuditFilter, format: AuditExportFormat, size: number): AsyncGenerator<string> {
  if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\r\n`;
  for (let after = 0; after < size; ) {
    const events = (await inLog(db, tenantId, (tx) => findAuditEvents(tx, filter, after, BATCH))).filter((e) => e.seq <= size);
    if (events.length === 0) return;
    yield events.map((e) => (format === 'csv' ? `${csvRow(e)}\r\n` : `${JSON.stringify(e)}\n`)).join('');
    after = events.at(-1)!.seq;
  }
}

export const exportAuditLog = async (
  db: Db,
  tenantId: string,
  query: AuditFilter & { format: AuditExportFormat },
): Promise<StreamedReply> => {
  const { format, ...filter } = query;
  const { size } = await inLog(db, tenantId, currentTree);
  return {
    contentType: format === 'csv' ? 'text/csv' : 'application/x-ndjson',
    filename: `audit-${tenantId}-${size}.${format}`,
    body: exportLines(db, tenantId, filter, format, size),
  };
};
