import type { IpcInput } from '../../../../shared/ipc/contract';
import type { SessionSummary } from '../../../../shared/sessions/schemas';
import type { TenantId } from '../../../../shared/tenants/tenant';

export interface SessionFilter {
  /** Only this user's sessions; null for everyone's. */
  userId: string | null;
  /** Only sessions whose sign-in was flagged as unusual. */
  flaggedOnly: boolean;
}

export const NO_FILTER: SessionFilter = { userId: null, flaggedOnly: false };

export const isFiltered = (filter: SessionFilter): boolean => filter.userId !== null || filter.flaggedOnly;

/**
 * What the console asks for: a page of the tenant's sessions filtered by the service.
 * A tenant may have 100,000 sessions; a filter applied to the pages loaded so far
 * would miss the matches on the others. The cursor belongs to this filter's list.
 */
export const sessionListInput = (tenantId: TenantId, filter: SessionFilter, page: { limit: number; cursor?: string | undefined }): IpcInput<'sessions.list'> => ({
  tenantId,
  limit: page.limit,
  ...(page.cursor !== undefined && { cursor: page.cursor }),
  ...(filter.userId !== null && { userId: filter.userId }),
  ...(filter.flaggedOnly && { flagged: true }),
});

/**
 * The console's own session first, then the newest sign-in first: the order the
 * service pages in, so a page loaded while scrolling lands below the rows in view.
 */
export const sortSessions = (sessions: readonly SessionSummary[]): SessionSummary[] =>
  [...sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));

export interface SessionUser {
  userId: string;
  label: string;
}

/**
 * The user filter's choices: the people seen in any page loaded for the tenant, by name.
 * Kept while a filter narrows the list, so the person chosen (and the others) stay choosable.
 */
export const usersOf = (known: readonly SessionUser[], sessions: readonly SessionSummary[]): SessionUser[] => {
  const byId = new Map(known.map((u) => [u.userId, u]));
  for (const s of sessions) if (!byId.has(s.userId)) byId.set(s.userId, { userId: s.userId, label: s.displayName ? `${s.displayName} (${s.email})` : s.email });
  return [...byId.values()].sort((a, b) => a.label.localeCompare(b.label, undefined, { sensitivity: 'base' }));
};

/** How many sessions "revoke all but mine" would end. */
export const othersCount = (sessions: readonly SessionSummary[]): number => sessions.filter((s) => !s.current).length;
