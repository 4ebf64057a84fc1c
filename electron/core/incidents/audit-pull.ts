import { AUDIT_PULL_MAX_LIMIT } from '../../../shared/audit/api';
import type { SyncStatus } from '../../../shared/ipc/incidents';
import type { TenantId } from '../../../shared/tenants/tenant';
import type { ServiceClient } from '../client/service-client';
import { ServiceError } from '../client/service-error';
import { CoreError } from '../core-error';
import type { Replica } from '../offline/replica-database';

/** The pull endpoint's largest page: a first pull of a busy log is a few dozen requests, not hundreds. */
const AUDIT_PAGE = AUDIT_PULL_MAX_LIMIT;
/** The smallest page the audit pull falls back to when pages are too large for the client. */
const MIN_AUDIT_PAGE = 50;

export interface AuditPull {
  client: Pick<ServiceClient, 'call'>;
  scope: TenantId;
  into: Replica;
  /** Events since this time on the first pull; older ones are cut off after each. */
  since: string;
  onProgress: (progress: NonNullable<SyncStatus['progress']>) => void;
}

/**
 * The log's events since the cursor (at first: since `since`), in the pull endpoint's
 * large pages, the cursor stored with each; then the window's old end cut off.
 * Returns whether the replica changed.
 */
export async function pullAudit({ client, scope, into, since, onProgress }: AuditPull): Promise<boolean> {
  let cursor = into.auditCursor() ?? undefined;
  let changed = false;
  let done = 0;
  let limit = AUDIT_PAGE;
  onProgress({ phase: 'audit', done, total: null });
  for (;;) {
    let page;
    try {
      page = await client.call('auditPull', { params: { tenantId: scope }, query: { ...(cursor === undefined ? { from: since } : { cursor }), limit } });
    } catch (error) {
      // Someone who may read incidents but not this log keeps an incidents-only replica.
      if (error instanceof ServiceError && error.status === 403) return changed;
      // Events with large details can make a page bigger than the client accepts: ask for fewer.
      if (error instanceof CoreError && error.code === 'response_too_large' && limit > MIN_AUDIT_PAGE) {
        limit = Math.max(MIN_AUDIT_PAGE, Math.floor(limit / 2));
        continue;
      }
      throw error;
    }
    const last = page.items.at(-1);
    if (last) {
      into.addAuditEvents(page.items);
      cursor = String(last.seq);
      into.setAuditCursor(cursor);
      changed = true;
    }
    done += page.items.length;
    onProgress({ phase: 'audit', done, total: done + page.remaining });
    if (page.nextCursor === null || !last) break;
  }
  if (into.pruneAuditEvents(since) > 0) changed = true;
  return changed;
}
