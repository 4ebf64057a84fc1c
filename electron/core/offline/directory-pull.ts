import type { Member } from '../../../shared/identity/schemas';
import type { MfaCounts } from '../../../shared/identity/members';
import type { ServiceClient } from '../client/service-client';
import { ServiceError } from '../client/service-error';
import type { DirectoryReplica } from './replica-directory';

/** The service's largest members page (MemberQuerySchema's limit). */
export const MEMBER_PAGE = 500;
/** A full refresh each sync stays bounded: past this many pages a tenant's list is kept cut (and says so). */
export const MAX_MEMBER_PAGES = 40;
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
  maxMemberPages?: number;
  refreshMs?: number;
}

/** 403: the person may not read this list (any more); 404: the tenant is gone. Either way the copy goes. */
const notVisible = (error: unknown): boolean => error instanceof ServiceError && (error.status === 403 || error.status === 404);

/**
 * Refreshes the replica's directory: the tenants list, then for each tenant the
 * person is a member of, its members (every page) and live sessions, each list
 * replaced whole in one transaction. A list the person may not read is skipped
 * and any old copy of it dropped. Returns whether anything stored changed (the
 * pull time alone is not worth a snapshot: after a restart a pull is due anyway).
 */
export async function pullDirectory(options: DirectoryPullOptions): Promise<boolean> {
  const { client, into, now } = options;
  const pageSize = options.memberPage ?? MEMBER_PAGE;
  const maxPages = options.maxMemberPages ?? MAX_MEMBER_PAGES;
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
      // Keyed by user: offset pages can overlap when the list changes between them.
      const items = new Map<string, Member>();
      let counts: MfaCounts | undefined;
      let complete = false;
      for (let page = 0; page < maxPages; page++) {
        const got = await client.call('listMembers', { params: { tenantId }, query: { sort: 'email', order: 'asc', offset: page * pageSize, limit: pageSize } });
        for (const m of got.items) items.set(m.userId, m);
        counts ??= got.counts;
        if (!got.hasMore) {
          complete = true;
          break;
        }
      }
      changed = into.replaceMembers(tenantId, { items: [...items.values()], counts: counts ?? { enrolled: 0, notEnrolled: 0, invited: 0 }, complete, fetchedAt }) || changed;
    } catch (error) {
      if (!notVisible(error)) throw error;
      changed = into.forgetTenantList(tenantId, 'members') || changed;
    }
    try {
      const { items } = await client.call('listSessions', { params: { tenantId }, query: {} });
      changed = into.replaceSessions(tenantId, { items, fetchedAt }) || changed;
    } catch (error) {
      if (!notVisible(error)) throw error;
      changed = into.forgetTenantList(tenantId, 'sessions') || changed;
    }
  }
  changed = into.keepDirectoryOf(tenantIds) || changed;
  into.setDirectoryPulledAt(fetchedAt);
  return changed;
}
