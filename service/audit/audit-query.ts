import type { AuditEventPage, AuditEventQuery } from '../../shared/audit/api';
import type { AuditEvent } from '../../shared/audit/event';
import { scopeTenantId, type ScopedTx } from '../db/db';
import { ApiError } from '../http/api-error';
import { EVENT_COLUMNS, EVENT_FROM, toEvent, type AuditRow } from './audit-log';

export type AuditFilter = Omit<AuditEventQuery, 'cursor' | 'limit'>;

const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** WHERE clause and parameters for a filter; $1 is the tenant, $2 the cursor. */
const whereOf = (tx: ScopedTx, filter: AuditFilter, afterSeq: number): { where: string; params: unknown[] } => {
  const params: unknown[] = [scopeTenantId(tx), afterSeq];
  const conditions = ['e.tenant_id = $1', 'e.seq > $2'];
  const add = (sql: (n: string) => string, value: unknown): void => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  // Times never go back within a log (appendAuditEvent), so a time range is also a
  // range of sequence numbers: two index probes turn it into a primary-key range
  // in sequence order instead of a sort of every event in the range.
  if (filter.from) {
    add((n) => `e.at >= ${n}::timestamptz`, filter.from);
    conditions.push(`e.seq >= (SELECT seq FROM audit_events WHERE tenant_id = $1 AND at >= $${params.length}::timestamptz ORDER BY at, seq LIMIT 1)`);
  }
  if (filter.to) {
    add((n) => `e.at < ${n}::timestamptz`, filter.to);
    conditions.push(`e.seq <= (SELECT seq FROM audit_events WHERE tenant_id = $1 AND at < $${params.length}::timestamptz ORDER BY at DESC, seq DESC LIMIT 1)`);
  }
  if (filter.actor) add((n) => `e.actor_id = ${n}`, filter.actor);
  if (filter.action) add((n) => `e.action = ${n}`, filter.action);
  if (filter.target) {
    if (filter.target.endsWith(':')) add((n) => `e.target LIKE ${n}`, likePrefix(filter.target));
    else add((n) => `e.target = ${n}`, filter.target);
  }
  if (filter.outcome) add((n) => `e.outcome = ${n}`, filter.outcome);
  return { where: conditions.join(' AND '), params };
};

/** Events matching the filter with seq above `afterSeq`, in sequence order. */
export const findAuditEvents = async (tx: ScopedTx, filter: AuditFilter, afterSeq: number, limit: number): Promise<AuditEvent[]> => {
  const { where, params } = whereOf(tx, filter, afterSeq);
  params.push(limit);
  const rows = await tx.query<AuditRow>(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE ${where} ORDER BY e.seq LIMIT $${params.length}`, params);
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
