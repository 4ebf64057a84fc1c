import { createPersonStore } from '../../platform/personStore';
import type { ApprovalRequest } from '../../../../shared/approvals/schemas';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { OfflineCopy } from '../../../../shared/ipc/directory';
import type { FlagReviewOutcome, FlagReviewResult, SessionSummary } from '../../../../shared/sessions/schemas';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { withStepUp } from '../../auth/stepUpStore';
import { toIpcError } from '../../platform/ipcError';
import { getBridge } from '../../platform/platform';
import { appendNew } from '../../components/paging';
import { NO_FILTER, sessionListInput, usersOf, type SessionFilter, type SessionUser } from './sessionsModel';

type Load =
  | { status: 'idle' }
  | { status: 'loading'; tenantId: TenantId; value?: SessionSummary[] }
  | { status: 'ready'; tenantId: TenantId; value: SessionSummary[] }
  | { status: 'error'; tenantId: TenantId; error: IpcErrorShape; value?: SessionSummary[] };

interface SessionsStore {
  list: Load;
  /** Set while the list shown is the console's offline copy (the service could not be reached). */
  offline: OfflineCopy | null;
  /** Applied by the service: a change reloads the list from its first page. */
  filter: SessionFilter;
  /** The people seen in the pages loaded for the tenant shown, for the user filter. */
  users: SessionUser[];
  selectedId: string | null;
  /** The next page's cursor while the service has more sessions than are loaded; null when all are. */
  nextCursor: string | null;
  /** The first page: a tenant may have 100,000 sessions, so they come a page at a time as the list is scrolled. */
  load(tenantId: TenantId): Promise<void>;
  /** The next page, appended (one request at a time; nothing when all are loaded). */
  loadMore(tenantId: TenantId): Promise<void>;
  setFilter(filter: Partial<SessionFilter>): void;
  select(sessionId: string | null): void;
  /** Each revocation goes through the step-up dialog when the service asks for a fresh code, then reloads the list. */
  revoke(tenantId: TenantId, session: SessionSummary): Promise<number>;
  revokeUser(tenantId: TenantId, userId: string, who: string): Promise<number>;
  /** Reviews a flagged sign-in (suspicious also ends it) through the step-up dialog, then reloads the list. */
  reviewFlags(tenantId: TenantId, session: SessionSummary, outcome: FlagReviewOutcome, note: string): Promise<FlagReviewResult>;
  /** Tenant-wide revocation is a request: it runs when another person approves it in their Approvals inbox. */
  revokeAllButMine(tenantId: TenantId, tenantName: string, reason: string): Promise<ApprovalRequest>;
  reset(): void;
}

let request = 0;
let moreInFlight: string | null = null;

export const SESSIONS_PAGE = 500;

const sessionKey = (s: SessionSummary) => s.id;

export const useSessionsStore = createPersonStore<SessionsStore>('sessions', (set, get) => {
  const afterRevoke = async (tenantId: TenantId, result: { revoked: number }): Promise<number> => {
    await get().load(tenantId);
    return result.revoked;
  };
  return {
    list: { status: 'idle' },
    offline: null,
    filter: NO_FILTER,
    users: [],
    selectedId: null,
    nextCursor: null,
    async load(tenantId) {
      const mine = ++request;
      const current = get().list;
      const sameTenant = current.status !== 'idle' && current.tenantId === tenantId;
      const value = sameTenant && 'value' in current ? current.value : undefined;
      set({ list: value ? { status: 'loading', tenantId, value } : { status: 'loading', tenantId }, ...(!sameTenant && { users: [] }) });
      try {
        const { items, offline, nextCursor } = await getBridge().invoke('sessions.list', sessionListInput(tenantId, get().filter, { limit: SESSIONS_PAGE }));
        if (mine === request)
          set({ list: { status: 'ready', tenantId, value: items }, offline: offline ?? null, nextCursor: nextCursor ?? null, users: usersOf(get().users, items) });
      } catch (error) {
        const { code, message } = toIpcError(error);
        if (mine === request) set({ list: { status: 'error', tenantId, error: { code, message }, ...(value && { value }) } });
      }
    },
    async loadMore(tenantId) {
      const { list, nextCursor, filter } = get();
      if (nextCursor === null || moreInFlight === nextCursor || list.status !== 'ready' || list.tenantId !== tenantId) return;
      const mine = request;
      moreInFlight = nextCursor;
      try {
        const page = await getBridge().invoke('sessions.list', sessionListInput(tenantId, filter, { cursor: nextCursor, limit: SESSIONS_PAGE }));
        const now = get().list;
        if (mine !== request || now.status !== 'ready' || now.tenantId !== tenantId) return;
        set({ list: { status: 'ready', tenantId, value: appendNew(now.value, page.items, sessionKey) }, nextCursor: page.nextCursor ?? null, users: usersOf(get().users, page.items) });
      } catch (error) {
        const { code, message } = toIpcError(error);
        const now = get().list;
        if (mine === request && 'value' in now && now.value) set({ list: { status: 'error', tenantId, error: { code, message }, value: now.value } });
      } finally {
        moreInFlight = null;
      }
    },
    setFilter(change) {
      const before = get().filter;
      const filter = { ...before, ...change };
      if (filter.userId === before.userId && filter.flaggedOnly === before.flaggedOnly) return;
      // The cursor belongs to the previous filter's list: the next page of this one starts again from the first.
      set({ filter, nextCursor: null });
      const { list } = get();
      if (list.status !== 'idle') void get().load(list.tenantId);
    },
    select(sessionId) {
      set({ selectedId: sessionId });
    },
    async revoke(tenantId, session) {
      const result = await withStepUp(`Revoking a session of ${session.displayName || session.email}`, () =>
        getBridge().invoke('sessions.revoke', { tenantId, sessionId: session.id }),
      );
      return afterRevoke(tenantId, result);
    },
    async revokeUser(tenantId, userId, who) {
      const result = await withStepUp(`Revoking every session of ${who}`, () => getBridge().invoke('sessions.revokeUser', { tenantId, userId }));
      return afterRevoke(tenantId, result);
    },
    async reviewFlags(tenantId, session, outcome, note) {
      const result = await withStepUp(`Reviewing a sign-in of ${session.displayName || session.email}`, () =>
        getBridge().invoke('sessions.reviewFlags', { tenantId, sessionId: session.id, outcome, ...(note === '' ? {} : { note }) }),
      );
      await get().load(tenantId);
      return result;
    },
    async revokeAllButMine(tenantId, tenantName, reason) {
      return withStepUp(`Requesting that every session in ${tenantName} but yours be revoked`, () =>
        getBridge().invoke('sessions.revokeAllButMine', { tenantId, reason }),
      );
    },
    reset() {
      request += 1;
      set({ list: { status: 'idle' }, offline: null, filter: NO_FILTER, users: [], selectedId: null, nextCursor: null });
    },
  };
});
