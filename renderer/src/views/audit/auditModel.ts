import { AuditActionPrefixSchema } from '../../../../shared/audit/api';
import type { AuditEvent, AuditOutcome } from '../../../../shared/audit/event';
import type { AuditEventsInput } from '../../../../shared/ipc/audit';
import { personNamed, type People } from './auditNames';
import { formatCount } from '../../components/formatCount';
import type { TimeZoneChoice } from '../../platform/dateTime';
import { parseFieldText } from '../../platform/dateTimeInput';

/** Events fetched per call: a screenful is ~30 rows, so one page covers many scroll steps. */
export const PAGE_SIZE = 500;

/** Filters as typed in the toolbar (times as DateTimeField text, free text). */
export interface AuditFilterDraft {
  from: string;
  to: string;
  /** What was typed in the person box; `personId` once a person was picked from the suggestions. */
  person: string;
  personId: string | null;
  /** The start of an action: `session.` for every session action. */
  action: string;
  target: string;
  outcome: AuditOutcome | '';
}

export const EMPTY_FILTERS: AuditFilterDraft = { from: '', to: '', person: '', personId: null, action: '', target: '', outcome: '' };

export type AuditQueryFilters = Omit<AuditEventsInput, 'tenantId' | 'cursor' | 'limit'>;

export type FilterProblem = { field: keyof AuditFilterDraft; message: string };


const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The actor id a draft names: the picked person, the one person the text names, or a pasted id (of an unknown person). */
const actorOf = (draft: AuditFilterDraft, people: People): { ok: true; id?: string } | { ok: false; message: string } => {
  const text = draft.person.trim();
  if (draft.personId) return { ok: true, id: draft.personId };
  if (!text) return { ok: true };
  const named = personNamed(text, people);
  if (named) return { ok: true, id: named.userId };
  if (UUID.test(text)) return { ok: true, id: text.toLowerCase() };
  return { ok: false, message: `No one in this log's directory is called “${text.slice(0, 60)}”. Pick a person from the suggestions, or paste their id.` };
};

/** The query for a draft, or the first problem with it (field and what to do). */
export const filtersToQuery = (draft: AuditFilterDraft, people: People = new Map(), zone: TimeZoneChoice = 'local'): { ok: true; query: AuditQueryFilters } | ({ ok: false } & FilterProblem) => {
  const query: AuditQueryFilters = {};
  for (const [field, label] of [['from', 'From'], ['to', 'To']] as const) {
    if (draft[field].trim() === '') continue;
    const typed = parseFieldText(draft[field], zone);
    if (!typed.ok) return { ok: false, field, message: `${label}: ${typed.message}.` };
    query[field] = new Date(typed.ms).toISOString();
  }
  if (query.from && query.to && query.from >= query.to) return { ok: false, field: 'to', message: 'The end must be after the start.' };
  const actor = actorOf(draft, people);
  if (!actor.ok) return { ok: false, field: 'person', message: actor.message };
  if (actor.id) query.actor = actor.id;
  const action = draft.action.trim();
  if (action) {
    if (!AuditActionPrefixSchema.safeParse(action).success) {
      return { ok: false, field: 'action', message: 'An action is lower-case words joined by dots: type its start, e.g. “session.” or “auth.login”.' };
    }
    query.actionPrefix = action;
  }
  const target = draft.target.trim();
  if (target) {
    if (target.length > 300) return { ok: false, field: 'target', message: 'A target is at most 300 characters, e.g. “user:” or “session:…”.' };
    query.target = target;
  }
  if (draft.outcome) query.outcome = draft.outcome;
  return { ok: true, query };
};

/** What a filter shows, in words, for the count and the export's result line. */
export const describeQuery = (query: AuditQueryFilters, people: People, when: (iso: string) => string): string => {
  const parts: string[] = [];
  if (query.actor) parts.push(`by ${people.get(query.actor)?.name ?? `unknown person ${query.actor.slice(0, 8)}`}`);
  if (query.actionPrefix) parts.push(`action starting “${query.actionPrefix}”`);
  if (query.action) parts.push(`action ${query.action}`);
  if (query.target) parts.push(query.target.endsWith(':') ? `target starting “${query.target}”` : `target ${query.target}`);
  if (query.outcome) parts.push(`outcome ${query.outcome}`);
  if (query.from) parts.push(`from ${when(query.from)}`);
  if (query.to) parts.push(`before ${when(query.to)}`);
  return parts.length > 0 ? parts.join(', ') : 'all events';
};

/**
 * "2 of 47": the events the filter matched out of the log's verified size. While more filtered
 * pages remain to be read the match count is a floor ("500+ of 47,000").
 */
export const countText = (matched: number, complete: boolean, logSize: number | null, filtered: boolean): string => {
  const n = `${formatCount(matched)}${complete ? '' : '+'}`;
  if (!filtered) return `${formatCount(logSize ?? matched)} events`;
  // Events appended since the head was verified can match too: the log is at least as long as the matches.
  return logSize === null ? `${n} matching` : `${n} of ${formatCount(Math.max(logSize, matched))}`;
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
