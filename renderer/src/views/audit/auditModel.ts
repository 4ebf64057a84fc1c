import { AuditActionSchema, type AuditEvent, type AuditOutcome } from '../../../../shared/audit/event';
import type { AuditEventsInput } from '../../../../shared/ipc/audit';

/** Events fetched per call: a screenful is ~30 rows, so one page covers many scroll steps. */
export const PAGE_SIZE = 500;

/** Filters as typed in the toolbar (datetime-local values, free text). */
export interface AuditFilterDraft {
  from: string;
  to: string;
  actor: string;
  action: string;
  target: string;
  outcome: AuditOutcome | '';
}

export const EMPTY_FILTERS: AuditFilterDraft = { from: '', to: '', actor: '', action: '', target: '', outcome: '' };

export type AuditQueryFilters = Omit<AuditEventsInput, 'tenantId' | 'cursor' | 'limit'>;

/** A datetime-local value ("2026-01-02T10:30") in the user's time zone, as an ISO instant; null when unparseable. */
const localToIso = (value: string): string | null => {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

/** The query for a draft, or the first problem with it (field and what to do). */
export const filtersToQuery = (draft: AuditFilterDraft): { ok: true; query: AuditQueryFilters } | { ok: false; field: keyof AuditFilterDraft; message: string } => {
  const query: AuditQueryFilters = {};
  if (draft.from) {
    const from = localToIso(draft.from);
    if (!from) return { ok: false, field: 'from', message: 'Enter a valid start date and time.' };
    query.from = from;
  }
  if (draft.to) {
    const to = localToIso(draft.to);
    if (!to) return { ok: false, field: 'to', message: 'Enter a valid end date and time.' };
    query.to = to;
  }
  if (query.from && query.to && query.from >= query.to) return { ok: false, field: 'to', message: 'The end must be after the start.' };
  const actor = draft.actor.trim();
  if (actor) query.actor = actor;
  const action = draft.action.trim();
  if (action) {
    if (!AuditActionSchema.safeParse(action).success) {
      return { ok: false, field: 'action', message: 'An action looks like domain.verb, e.g. session.revoked.' };
    }
    query.action = action;
  }
  const target = draft.target.trim();
  if (target) query.target = target;
  if (draft.outcome) query.outcome = draft.outcome;
  return { ok: true, query };
};

export const hasFilters = (query: AuditQueryFilters): boolean => Object.values(query).some((v) => v !== undefined);

/**
 * Where row `index` lives. Unfiltered, seq = index + 1 (the log is gap-free), so
 * any page can be fetched directly by its cursor and the scrollbar can jump anywhere;
 * filtered, pages can only be read one after another.
 */
export const pageOf = (index: number): { page: number; offset: number } => ({ page: Math.floor(index / PAGE_SIZE), offset: index % PAGE_SIZE });
export const cursorOfPage = (page: number): string => String(page * PAGE_SIZE);

export const rowAt = (pages: ReadonlyMap<number, readonly AuditEvent[]>, index: number): AuditEvent | undefined => {
  const { page, offset } = pageOf(index);
  return pages.get(page)?.[offset];
};

/** The pages a visible range needs that are neither loaded nor on their way. */
export const missingPages = (
  start: number,
  end: number,
  total: number,
  have: ReadonlyMap<number, unknown>,
  pending: ReadonlySet<number>,
): number[] => {
  if (total === 0 || end < start) return [];
  const last = Math.min(end, total - 1);
  const pages: number[] = [];
  for (let p = pageOf(Math.max(0, start)).page; p <= pageOf(last).page; p++) if (!have.has(p) && !pending.has(p)) pages.push(p);
  return pages;
};

export const shortHash = (hex: string): string => `${hex.slice(0, 12)}…${hex.slice(-6)}`;

export const percent = (done: number, total: number | null): number | undefined => (total && total > 0 ? Math.min(1, done / total) : undefined);
