import type { AuditEventPage, AuditEventQuery, AuditPullPage, AuditPullQuery } from '../../shared/audit/api';
import type { AuditEvent } from '../../shared/audit/event';
import { scopeTenantId, type ScopedTx } from '../db/db';
import { ApiError } from '../http/api-error';
import { EVENT_COLUMNS, EVENT_FROM, toEvent, type AuditRow } from './audit-log';

export type AuditFilter = Omit<AuditEventQuery, 'cursor' | 'limit'>;

const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * WHERE clause and parameters for a filter; $1 is the tenant, $2 the cursor. `after` is the SQL
 * for the seq the matching range starts after: the cursor, or the time range's first event if later.
 */
const whereOf = (tx: ScopedTx, filter: AuditFilter, afterSeq: number): { where: string; params: unknown[]; after: string } => {
  const params: unknown[] = [scopeTenantId(tx), afterSeq];
  const conditions = ['e.tenant_id = $1', 'e.seq > $2'];
  let after = '$2::bigint';
  const add = (sql: (n: string) => string, value: unknown): void => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  // Times never go back within a log (appendAuditEvent), so a time range is also a
  // range of sequence numbers: two index probes turn it into a primary-key range
  // in sequence order instead of a sort of every event in the range.
  if (filter.from) {
    add((n) => `e.at >= ${n}::timestamptz`, filter.from);
    const first = `(SELECT seq FROM audit_events WHERE tenant_id = $1 AND at >= $${params.length}::timestamptz ORDER BY at, seq LIMIT 1)`;
    conditions.push(`e.seq >= ${first}`);
    after = `GREATEST($2::bigint, ${first} - 1)`;
  }
  if (filter.to) {
    add((n) => `e.at < ${n}::timestamptz`, filter.to);
    conditions.push(`e.seq <= (SELECT seq FROM audit_events WHERE tenant_id = $1 AND at < $${params.length}::timestamptz ORDER BY at DESC, seq DESC LIMIT 1)`);
  }
  if (filter.actor) add((n) => `e.actor_id = ${n}`, filter.actor);
  if (filter.action) add((n) => `e.action = ${n}`, filter.action);
  if (filter.actionPrefix) add((n) => `e.action LIKE ${n}`, likePrefix(filter.actionPrefix));
  if (filter.target) {
    if (filter.target.endsWith(':')) add((n) => `e.target LIKE ${n}`, likePrefix(filter.target));
    else add((n) => `e.target = ${n}`, filter.target);
  }
  if (filter.outcome) add((n) => `e.outcome = ${n}`, filter.outcome);
  return { where: conditions.join(' AND '), params, after };
};

/** Events matching the filter with seq above `afterSeq`, in sequence order. */
export const findAuditEvents = async (tx: ScopedTx, filter: AuditFilter, afterSeq: number, limit: number): Promise<AuditEvent[]> => {
  const { where, params, after } = whereOf(tx, filter, afterSeq);
  params.push(limit);
  const query = (bound: string) =>
    tx.query<AuditRow>(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE ${where}${bound} ORDER BY e.seq LIMIT $${params.length}`, params);
  // Without other filters every event of the range matches, and a log's seqs have no gaps: the page
  // is the next `limit` seqs. Bounding the scan to them keeps each page's cost flat, where the planner,
  // short of statistics (PGlite never runs autovacuum), would read and sort the whole rest of the log.
  // Fewer rows than asked (the range's end, or a log with an event missing): the page comes unbounded.
  if (!filter.actor && !filter.action && !filter.actionPrefix && !filter.target && !filter.outcome) {
    const rows = await query(` AND e.seq <= ${after} + $${params.length}`);
    if (rows.length === limit) return rows.map(toEvent);
  }
  const rows = await query('');
  return rows.map(toEvent);
};

/** One page of GET …/audit/events: nextCursor is null when no matching event follows (as the log stands now). */
export const auditEventPage = async (tx: ScopedTx, query: AuditEventQuery): Promise<AuditEventPage> => {
  if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) {
    throw new ApiError(400, 'validation_failed', '`from` is after `to`.', [{ path: 'query.from', message: 'must not be after `to`' }]);
  }
  const { cursor, limit, ...filter } = query;
  const rows = await findAuditEvents(tx, filter, cursor ? Number(cursor) : 0, limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? String(items.at(-1)?.seq) : null };
};

/**
 * One page of GET …/audit/pull: the events from `from` on after the cursor, and how many follow
 * the page. A log numbers its events without gaps, so what is left is the last seq minus the
 * page's last: one index probe, not a count.
 */
export const auditPullPage = async (tx: ScopedTx, query: AuditPullQuery): Promise<AuditPullPage> => {
  const { cursor, limit, from } = query;
  const rows = await findAuditEvents(tx, from ? { from } : {}, cursor ? Number(cursor) : 0, limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  if (!last) return { items, nextCursor: null, remaining: 0 };
  const [latest] = await tx.query<{ seq: number | string | null }>('SELECT max(seq) AS seq FROM audit_events WHERE tenant_id = $1', [scopeTenantId(tx)]);
  return { items, nextCursor: rows.length > limit ? String(last.seq) : null, remaining: Math.max(0, Number(latest?.seq ?? 0) - last.seq) };
};
