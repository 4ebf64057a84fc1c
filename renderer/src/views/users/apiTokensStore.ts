import { createPersonStore } from '../../platform/personStore';
import type { ApiTokenCreated, ApiTokenSummary, CreateApiTokenRequest } from '../../../../shared/api-tokens/schemas';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { withStepUp } from '../../auth/stepUpStore';
import { toIpcError } from '../../platform/ipcError';
import { getBridge } from '../../platform/platform';

type Load =
  | { status: 'idle' }
  | { status: 'loading'; tenantId: TenantId; value?: ApiTokenSummary[] }
  | { status: 'ready'; tenantId: TenantId; value: ApiTokenSummary[] }
  | { status: 'error'; tenantId: TenantId; error: IpcErrorShape; value?: ApiTokenSummary[] };

interface ApiTokensStore {
  list: Load;
  load(tenantId: TenantId): Promise<void>;
  /** The secret goes to the dialog that shows it once; the store keeps no copy. */
  create(tenantId: TenantId, request: CreateApiTokenRequest): Promise<ApiTokenCreated>;
  rotate(tenantId: TenantId, token: ApiTokenSummary, expiresAt: string): Promise<ApiTokenCreated>;
  revoke(tenantId: TenantId, token: ApiTokenSummary): Promise<void>;
}

const valueOf = (l: Load, tenantId: TenantId): ApiTokenSummary[] | undefined => ('value' in l && l.tenantId === tenantId ? l.value : undefined);

export const useApiTokensStore = createPersonStore<ApiTokensStore>('apiTokens', (set, get) => ({
  list: { status: 'idle' },
  load: async (tenantId) => {
    const value = valueOf(get().list, tenantId);
    set({ list: { status: 'loading', tenantId, ...(value ? { value } : {}) } });
    try {
      set({ list: { status: 'ready', tenantId, value: await getBridge().invoke('apiTokens.list', { tenantId }) } });
    } catch (e) {
      set({ list: { status: 'error', tenantId, error: toIpcError(e), ...(value ? { value } : {}) } });
    }
  },
  create: async (tenantId, request) => {
    const created = await withStepUp(`Creating the API token “${request.name}”`, () => getBridge().invoke('apiTokens.create', { tenantId, ...request }));
    void get().load(tenantId);
    return created;
  },
  rotate: async (tenantId, token, expiresAt) => {
    const created = await withStepUp(`Rotating the API token “${token.name}”`, () =>
      getBridge().invoke('apiTokens.rotate', { tenantId, tokenId: token.id, expiresAt }),
    );
    void get().load(tenantId);
    return created;
  },
  revoke: async (tenantId, token) => {
    await getBridge().invoke('apiTokens.revoke', { tenantId, tokenId: token.id });
    await get().load(tenantId);
  },
}));
