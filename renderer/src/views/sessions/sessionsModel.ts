import type { SessionSummary } from '../../../../shared/sessions/schemas';

export interface SessionFilter {
  /** Only this user's sessions; null for everyone's. */
  userId: string | null;
  /** Only sessions whose sign-in was flagged as unusual. */
  flaggedOnly: boolean;
}

export const NO_FILTER: SessionFilter = { userId: null, flaggedOnly: false };

export const filterSessions = (sessions: readonly SessionSummary[], filter: SessionFilter): SessionSummary[] =>
  sessions.filter((s) => (filter.userId === null || s.userId === filter.userId) && (!filter.flaggedOnly || s.flags.length > 0));

/**
 * The console's own session first, then the newest sign-in first: the order the
 * service pages in, so a page loaded while scrolling lands below the rows in view.
 */
export const sortSessions = (sessions: readonly SessionSummary[]): SessionSummary[] =>
  [...sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));

export interface SessionUser {
  userId: string;
  label: string;
  sessions: number;
}

/** The users that have sessions in the list, by name, for the user filter. */
export const usersOf = (sessions: readonly SessionSummary[]): SessionUser[] => {
  const byId = new Map<string, SessionUser>();
  for (const s of sessions) {
    const entry = byId.get(s.userId) ?? { userId: s.userId, label: s.displayName ? `${s.displayName} (${s.email})` : s.email, sessions: 0 };
    entry.sessions += 1;
    byId.set(s.userId, entry);
  }
  return [...byId.values()].sort((a, b) => a.label.localeCompare(b.label, undefined, { sensitivity: 'base' }));
};

/** How many sessions "revoke all but mine" would end. */
export const othersCount = (sessions: readonly SessionSummary[]): number => sessions.filter((s) => !s.current).length;
