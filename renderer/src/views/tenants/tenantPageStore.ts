import { createPersonStore } from '../../platform/personStore';
import type { ApprovalRequest } from '../../../../shared/approvals/schemas';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { TenantSettings, TenantSummary, UpdateTenantSettingsRequest } from '../../../../shared/tenants/api';
import type { Plan, TenantId } from '../../../../shared/tenants/tenant';
import { withStepUp } from '../../auth/stepUpStore';
import { toErrorShape } from '../../platform/ipcError';
import { getBridge } from '../../platform/platform';
import { useTenantsStore } from './tenantsStore';

export type Load<T> = { status: 'idle' } | { status: 'loading'; value?: T } | { status: 'ready'; value: T } | { status: 'error'; error: IpcErrorShape; value?: T };

interface TenantPageStore {
  /** The tenant the page shows; answers for another are dropped. */
  tenantId: TenantId | null;
  /** What the person may read of this tenant (the page asks only for that). */
  reads: { settings: boolean; summary: boolean };
  settings: Load<TenantSettings>;
  summary: Load<TenantSummary>;
  /** Reads the tenant's settings and counts (each may be refused on its own: a viewer sees neither). */
  load(tenantId: TenantId, reads?: { settings: boolean; summary: boolean }): Promise<void>;
  /** Step-up; then the page and the list reload (the name shows in both). */
  saveSettings(tenantId: TenantId, tenantName: string, changes: UpdateTenantSettingsRequest): Promise<void>;
  setPlan(tenantId: TenantId, tenantName: string, plan: Plan): Promise<void>;
  /** A request another person approves: nothing changes until then. */
  requestStatusChange(tenantId: TenantId, tenantName: string, change: 'suspend' | 'reinstate', reason: string): Promise<ApprovalRequest>;
}

let request = 0;

export const useTenantPageStore = createPersonStore<TenantPageStore>('tenantPage', (set, get) => {
  const keep = <T>(load: Load<T>, same: boolean): T | undefined => (same && 'value' in load ? load.value : undefined);
  const loadPart = async <T>(mine: number, key: 'settings' | 'summary', work: () => Promise<T>, before: T | undefined) => {
    try {
      const value = await work();
      if (mine === request) set({ [key]: { status: 'ready', value } } as Partial<TenantPageStore>);
    } catch (error) {
      if (mine === request) set({ [key]: { status: 'error', error: toErrorShape(error), ...(before !== undefined && { value: before }) } } as Partial<TenantPageStore>);
    }
  };
  const reloadAll = async (tenantId: TenantId) => {
    await Promise.all([get().load(tenantId), useTenantsStore.getState().load()]);
  };

  return {
    tenantId: null,
    reads: { settings: true, summary: true },
    settings: { status: 'idle' },
    summary: { status: 'idle' },
    async load(tenantId, reads = get().reads) {
      const mine = ++request;
      const same = get().tenantId === tenantId;
      const settings = keep(get().settings, same);
      const summary = keep(get().summary, same);
      const loading = <T>(value: T | undefined, wanted: boolean): Load<T> => (!wanted ? { status: 'idle' } : value ? { status: 'loading', value } : { status: 'loading' });
      set({ tenantId, reads, settings: loading(settings, reads.settings), summary: loading(summary, reads.summary) });
      const bridge = getBridge();
      await Promise.all([
        reads.settings && loadPart(mine, 'settings', () => bridge.invoke('tenants.settings', { tenantId }), settings),
        reads.summary && loadPart(mine, 'summary', () => bridge.invoke('tenants.summary', { tenantId }), summary),
      ]);
    },
    async saveSettings(tenantId, tenantName, changes) {
      await withStepUp(`Changing the settings of ${tenantName}`, () => getBridge().invoke('tenants.updateSettings', { tenantId, ...changes }));
      await reloadAll(tenantId);
    },
    async setPlan(tenantId, tenantName, plan) {
      await withStepUp(`Changing the plan of ${tenantName}`, () => getBridge().invoke('tenants.setPlan', { tenantId, plan }));
      await reloadAll(tenantId);
    },
    async requestStatusChange(tenantId, tenantName, change, reason) {
      const purpose = `${change === 'suspend' ? 'Asking to suspend' : 'Asking to reinstate'} ${tenantName}`;
      return withStepUp(purpose, () => getBridge().invoke(change === 'suspend' ? 'tenants.suspend' : 'tenants.reinstate', { tenantId, reason }));
    },
  };
});
