import { createPersonStore } from '../../platform/personStore';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { Tenant, TenantId } from '../../../../shared/tenants/tenant';
import { nextSort } from '../../components/sorting';
import { toErrorShape } from '../../platform/ipcError';
import { getBridge } from '../../platform/platform';
import type { CreateTenantRequest, TenantCreated, TenantSummary } from '../../../../shared/tenants/api';
import { withStepUp } from '../../auth/stepUpStore';
import { DEFAULT_TENANT_SORT, initialDirection, type TenantFacets, type TenantSort, type TenantSortKey } from './tenantsModel';

type Load<T> =
  | { status: 'idle' }
  | { status: 'loading'; value?: T }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: IpcErrorShape; value?: T };

interface TenantsStore {
  list: Load<Tenant[]>;
  detail: Load<Tenant> & { id?: TenantId };
  sort: TenantSort;
  filter: string;
  facets: TenantFacets;
  /** Counts per tenant for the list's count columns (what loadSummaries fetched). */
  summaries: Record<string, TenantSummary>;
  /** Fetches the counts of these tenants, a few at a time; a refused or failed one stays "…". */
  loadSummaries(ids: readonly TenantId[]): Promise<void>;
  selectedId: TenantId | null;
  load(): Promise<void>;
  setFacets(facets: TenantFacets): void;
  /** Step-up; the new tenant is selected, and the owner's invitation returned to the dialog that shows it once. */
  create(request: CreateTenantRequest): Promise<TenantCreated>;
  sortBy(key: TenantSortKey): void;
  setFilter(filter: string): void;
  select(id: TenantId | null): void;
}

const valueOf = <T>(load: Load<T>): T | undefined => ('value' in load ? load.value : undefined);

// Answers can arrive out of order (a slow list, fast arrow keys); only the latest request's answer counts.
let listRequest = 0;
/** Counts are fetched a few at a time, for at most this many tenants (the rest: open a tenant for its counts). */
const SUMMARY_CONCURRENCY = 4;
export const SUMMARY_LIMIT = 200;
let detailRequest = 0;

export const useTenantsStore = createPersonStore<TenantsStore>('tenants', (set, get) => ({
  list: { status: 'idle' },
  detail: { status: 'idle' },
  sort: DEFAULT_TENANT_SORT,
  filter: '',
  facets: {},
  summaries: {},
  selectedId: null,

  async load() {
    const request = ++listRequest;
    // A refresh keeps showing the rows it has until the new ones arrive.
    const value = valueOf(get().list);
    set({ list: value ? { status: 'loading', value } : { status: 'loading' } });
    try {
      const tenants = await getBridge().invoke('tenants.list', {});
      if (request !== listRequest) return;
      set({ list: { status: 'ready', value: tenants } });
      const { selectedId } = get();
      if (selectedId !== null) get().select(tenants.some((t) => t.id === selectedId) ? selectedId : null);
    } catch (error) {
      if (request !== listRequest) return;
      set({ list: value ? { status: 'error', error: toErrorShape(error), value } : { status: 'error', error: toErrorShape(error) } });
    }
  },

  sortBy(key) {
    set((s) => ({ sort: nextSort(s.sort, key, initialDirection(key)) }));
  },

  setFilter(filter) {
    set({ filter });
  },

  async loadSummaries(ids) {
    const queue = [...ids];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        try {
          const summary = await getBridge().invoke('tenants.summary', { tenantId: id });
          set((s) => ({ summaries: { ...s.summaries, [id]: summary } }));
        } catch {
          // The count stays "…"; the Tenant page says why when the tenant is opened.
        }
      }
    };
    await Promise.all(Array.from({ length: SUMMARY_CONCURRENCY }, worker));
  },

  setFacets(facets) {
    set({ facets });
  },

  async create(request) {
    const created = await withStepUp(`Creating the tenant ${request.name}`, () => getBridge().invoke('tenants.create', request));
    await get().load();
    get().select(created.tenant.id);
    return created;
  },

  select(id) {
    const request = ++detailRequest;
    if (id === null) {
      set({ selectedId: null, detail: { status: 'idle' } });
      return;
    }
    const current = get().detail;
    const value = current.id === id ? valueOf(current) : undefined;
    set({ selectedId: id, detail: value ? { status: 'loading', id, value } : { status: 'loading', id } });
    getBridge()
      .invoke('tenants.get', { id })
      .then(
        (tenant) => {
          if (request === detailRequest) set({ detail: { status: 'ready', id, value: tenant } });
        },
        (error: unknown) => {
          if (request === detailRequest) set({ detail: { status: 'error', id, error: toErrorShape(error) } });
        },
      );
  },
}));
