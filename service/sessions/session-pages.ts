import { createHash } from 'node:crypto';
import type { TenantTx } from '../db/db';
import { SESSION_CURSOR } from '../../shared/sessions/schemas';
import { ApiError } from '../http/api-error';
import { listTenantSessionsBefore, type ListedSession, type SessionFilter } from './session-admin-repository';

/**
 * Paged sessions, newest start first: created_at never changes, so a page's
 * position holds while sessions are used, and sessions started after the first
 * page sort before it instead of shifting later pages. A cursor is only a
 * position: it is bound to the tenant and the filter it was issued for (a page
 * of another filter's list would skip or repeat rows), and the query is scoped
 * by RLS regardless.
 */
export interface SessionPosition {
  readonly createdMicros: string;
  readonly id: string;
}

export const INVALID_CURSOR = () =>
  new ApiError(400, 'invalid_cursor', 'This cursor does not belong to this list or filter; start again from the first page.');

/** Eight hex digits naming the filter: the cursor carries it, so a cursor is refused on a list filtered otherwise. */
const filterTag = (f: SessionFilter): string =>
  createHash('sha256')
    .update(`${f.userId ?? '-'}|${f.flagged === undefined ? '-' : String(f.flagged)}`)
    .digest('hex')
    .slice(0, 8);

export const encodeCursor = (tenantId: string, filter: SessionFilter, p: SessionPosition): string => `${p.createdMicros}.${p.id}.${tenantId}.${filterTag(filter)}`;

/** The position in a cursor issued for this tenant and filter; an ApiError for any other, or for one not in the format. */
export const decodeCursor = (tenantId: string, filter: SessionFilter, cursor: string): SessionPosition | ApiError => {
  if (!SESSION_CURSOR.test(cursor)) return INVALID_CURSOR();
  const [createdMicros, id, issuedFor, tag] = cursor.split('.');
  if (!createdMicros || !id || issuedFor !== tenantId || tag !== filterTag(filter)) return INVALID_CURSOR();
  return { createdMicros, id };
};

export interface SessionPage {
  readonly rows: readonly ListedSession[];
  readonly next: SessionPosition | null;
}

export const listSessionPage = async (
  tx: TenantTx,
  filter: SessionFilter,
  page: { after: SessionPosition | null; limit: number },
): Promise<SessionPage> => {
  const rows = await listTenantSessionsBefore(tx, filter, { after: page.after, limit: page.limit + 1 });
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  const last = kept.at(-1);
  return { rows: kept.map((r) => r.listed), next: more && last ? { createdMicros: last.createdMicros, id: last.listed.record.id } : null };
};
