import type { SyncStatus } from '../../../shared/ipc/incidents';
import type { TenantId } from '../../../shared/tenants/tenant';
import type { ServiceClient } from '../client/service-client';
import type { Replica } from '../offline/replica-database';

const PULL_PAGE = 500;

export interface ChangesPull {
  client: Pick<ServiceClient, 'call'>;
  scope: TenantId;
  into: Replica;
  onProgress: (progress: NonNullable<SyncStatus['progress']>) => void;
}

/**
 * The incidents changes feed since the replica's cursor, page after page, the cursor
 * stored with each; then what the scope no longer lists dropped. Returns whether the
 * replica changed.
 */
export async function pullChanges({ client, scope, into, onProgress }: ChangesPull): Promise<boolean> {
  let cursor = into.syncCursor() ?? undefined;
  let changed = false;
  let done = 0;
  onProgress({ phase: 'incidents', done, total: null });
  for (;;) {
    const page = await client.call('incidentChanges', { params: { tenantId: scope }, query: { ...(cursor === undefined ? {} : { cursor }), limit: PULL_PAGE } });
    for (const item of page.items) {
      into.upsertIncident(item.incident);
      into.setNotices(item.incident.id, item.noticeFacts, item.notices);
      for (const e of item.newEntries) into.addTimelineEntry(e);
      changed = true;
    }
    done += page.items.length;
    onProgress({ phase: 'incidents', done, total: null });
    if (page.nextCursor !== cursor) {
      into.setSyncCursor(page.nextCursor);
      cursor = page.nextCursor;
    }
    if (!page.more) break;
  }
  // The feed tells what changed in scope, not what left it (a tenant no longer affected stops seeing
  // the incident): what the scope no longer lists goes from the copy too.
  const listed = new Set((await client.call('listIncidents', { params: { tenantId: scope }, query: {} })).items.map((i) => i.incident.id));
  for (const incident of into.incidents()) {
    if (listed.has(incident.id)) continue;
    into.removeIncident(incident.id);
    changed = true;
  }
  return changed;
}
