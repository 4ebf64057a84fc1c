import type { Member } from '../../../shared/identity/schemas';
import type { MfaCounts } from '../../../shared/identity/members';
import type { OfflineCut } from '../../../shared/ipc/directory';
import { SESSION_PAGE_MAX, type SessionSummary } from '../../../shared/sessions/schemas';
import type { ServiceClient } from '../client/service-client';
import { ServiceError } from '../client/service-error';
import type { DirectoryReplica } from './replica-directory';

/** The service's largest members page (MemberQuerySchema's limit). */
export const MEMBER_PAGE = 500;
/** The service's largest sessions page. */
export const SESSION_PAGE = SESSION_PAGE_MAX;
/**
 * A full refresh each sync stays bounded in time (at most 200 member or 100 session
 * requests per tenant) and memory (a list is held whole until it replaces the stored
 * one): past this many rows a tenant's list is kept cut, and the copy says so.
 */
export const MAX_LIST_ROWS = 100_000;
/**
 * Sync runs after every saved incident edit; the directory is a full refresh, not a
 * changes feed, so it is fetched at most this often (a new person's, at once).
 */
export const DIRECTORY_REFRESH_MS = 5 * 60_000;

export interface DirectoryPullOptions {
  client: Pick<ServiceClient, 'call'>;
  into: DirectoryReplica;
  now: () => Date;
  memberPage?: number;
  sessionPage?: number;
  maxListRows?: number;
  refreshMs?: number;
}

type Call = ServiceClient['call'];
interface Pulled<T> {
  items: T[];
  cut: OfflineCut | null;
}

const cutAt = (kept: number, bound: number): OfflineCut => ({ reason: 'row_bound', kept, bound });

/** Every member of a tenant by email, in offset pages (keyed by user: pages can overlap when the list changes between them). */
async function pullMembers(call: Call, tenantId: string, pageSize: number, bound: number): Promise<Pulled<Member> & { counts: MfaCounts }> {
  const items = new Map<string, Member>();
  let counts: MfaCounts | undefined;
  for (let offset = 0; offset < bound; offset += pageSize) {
    const got = await call('listMembers', { params: { tenantId }, query: { sort: 'email', order: 'asc', offset, limit: Math.min(pageSize, bound - offset) } });
    for (const m of got.items) items.set(m.userId, m);
    counts ??= got.counts;
    if (!got.hasMore) return { items: [...items.values()], counts: counts ?? { enrolled: 0, notEnrolled: 0, invited: 0 }, cut: null };
  }
  return { items: [...items.values()], counts: counts ?? { enrolled: 0, notEnrolled: 0, invited: 0 }, cut: cutAt(items.size, bound) };
}

/**
 * Every live session of a tenant, newest sign-in first, following the service's cursor
 * to its end. Bounded by the rows the service reads (pages × limit), not only by those
 * it returns: a page may hold fewer (expired and staff sessions are left out after the query).
 */
async function pullSessions(call: Call, tenantId: string, pageSize: number, bound: number): Promise<Pulled<SessionSummary>> {
  // Keyed by id: a cursor pages without repeats, but the copy must not hold one twice whatever the service sends.
  const items = new Map<string, SessionSummary>();
  let cursor: string | undefined;
  for (let read = 0; read < bound; read += pageSize) {
    const got = await call('listSessions', { params: { tenantId }, query: { limit: Math.min(pageSize, bound - read), ...(cursor && { cursor }) } });
    for (const s of got.items) items.set(s.id, s);
    if (!got.nextCursor) return { items: [...items.values()], cut: null };
    cursor = got.nextCursor;
  }
  return { items: [...items.values()], cut: cutAt(items.size, bound) };
}

/** 403: the person may not read this list (any more); 404: the tenant is gone. Either way the copy goes. */
const notVisible = (error: unknown): boolean => error instanceof ServiceError && (error.status === 403 || error.status === 404);

/**
 * Refreshes the replica's directory: the tenants list, then for each tenant the
 * person is a member of, its members and live sessions (every page, up to the
 * bound), each list replaced whole in one transaction once all its pages are in:
 * a pull that fails half-way leaves the previous copy as it was. A list the person may not read is skipped
 * and any old copy of it dropped. Returns whether anything stored changed (the
 * pull time alone is not worth a snapshot: after a restart a pull is due anyway).
 */
export async function pullDirectory(options: DirectoryPullOptions): Promise<boolean> {
  const { client, into, now } = options;
  const bound = options.maxListRows ?? MAX_LIST_ROWS;
  let me;
  try {
    me = await client.call('me');
  } catch (error) {
    // An operator's token is no person with memberships (403): there is no directory to keep.
    if (!notVisible(error)) throw error;
    return into.keepDirectoryOf([]);
  }
  const at = now();
  const last = into.directoryPulledAt();
  const fresh = last !== null && at.getTime() - Date.parse(last) < (options.refreshMs ?? DIRECTORY_REFRESH_MS) && at.getTime() >= Date.parse(last);
  if (fresh && into.directoryUser() === me.user.id) return false;
  let changed = into.setDirectoryUser(me.user.id);
  try {
    changed = into.replaceTenants((await client.call('listTenants', { query: {} })).items) || changed;
  } catch (error) {
    if (!notVisible(error)) throw error;
    changed = into.replaceTenants([]) || changed;
  }

  const tenantIds = me.memberships.map((m) => m.tenantId);
  const fetchedAt = at.toISOString();
  for (const tenantId of tenantIds) {
    try {
      const members = await pullMembers((...a) => client.call(...a), tenantId, options.memberPage ?? MEMBER_PAGE, bound);
      changed = into.replaceMembers(tenantId, { ...members, fetchedAt }) || changed;
    } catch (error) {
      if (!notVisible(error)) throw error;
      changed = into.forgetTenantList(tenantId, 'members') || changed;
    }
    try {
      const sessions = await pullSessions((...a) => client.call(...a), tenantId, options.sessionPage ?? SESSION_PAGE, bound);
      changed = into.replaceSessions(tenantId, { ...sessions, fetchedAt }) || changed;
    } catch (error) {
      if (!notVisible(error)) throw error;
      changed = into.forgetTenantList(tenantId, 'sessions') || changed;
    }
  }
  changed = into.keepDirectoryOf(tenantIds) || changed;
  into.setDirectoryPulledAt(fetchedAt);
  return changed;
}
