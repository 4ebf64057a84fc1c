import type { OfflineCopy } from '../../../../shared/ipc/directory';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { getBridge } from '../../platform/platform';
import { createPersonStore } from '../../platform/personStore';
import type { KnownPerson } from './auditNames';

/** Member lists read per log: a tenant's own, or for the platform log those of the tenants one may read (bounded). */
const MAX_TENANTS = 30;
const PAGE = 500;

interface AuditDirectory {
  /** The log the names were loaded for. */
  logId: string | null;
  people: ReadonlyMap<string, KnownPerson>;
  loading: boolean;
  /** Set when some list came from the offline copy. */
  offline: OfflineCopy | null;
  /** Tenants whose members could not be read (names there show as unknown). */
  failed: number;
  load(logId: string, tenantIds: readonly TenantId[], me: KnownPerson | null): Promise<void>;
}

/** Names of the people an audit log mentions, from the member lists the console can read (online or its offline copy). */
export const useAuditDirectory = createPersonStore<AuditDirectory>('auditDirectory', (set, get) => ({
  logId: null,
  people: new Map(),
  loading: false,
  offline: null,
  failed: 0,
  async load(logId, tenantIds, me) {
    if (get().logId === logId && (get().loading || get().people.size > 0)) return;
    set({ logId, loading: true, people: new Map(), offline: null, failed: 0 });
    const people = new Map<string, KnownPerson>();
    if (me) people.set(me.userId, me);
    let offline: OfflineCopy | null = null;
    let failed = 0;
    await Promise.all(
      tenantIds.slice(0, MAX_TENANTS).map(async (tenantId) => {
        try {
          const list = await getBridge().invoke('members.list', { tenantId, query: { limit: PAGE } });
          for (const m of list.items) people.set(m.userId, { userId: m.userId, name: m.displayName || m.email, email: m.email });
          if (list.offline) offline = list.offline;
        } catch {
          failed++;
        }
      }),
    );
    if (get().logId === logId) set({ people, loading: false, offline, failed });
  },
}));
