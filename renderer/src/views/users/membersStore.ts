import { create } from 'zustand';
import type { Member } from '../../../../shared/identity/schemas';
import type { TenantRole } from '../../../../shared/identity/roles';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { withStepUp } from '../../auth/stepUpStore';
import { toIpcError } from '../../platform/ipcError';
import { getBridge } from '../../platform/platform';

type Load =
  | { status: 'idle' }
  | { status: 'loading'; tenantId: TenantId; value?: Member[] }
  | { status: 'ready'; tenantId: TenantId; value: Member[] }
  | { status: 'error'; tenantId: TenantId; error: IpcErrorShape; value?: Member[] };

interface MembersStore {
  list: Load;
  selectedUserId: string | null;
  load(tenantId: TenantId): Promise<void>;
  select(userId: string | null): void;
  /** Through the step-up dialog when the service asks for a fresh code. Resolves with the updated member. */
  changeRole(tenantId: TenantId, member: Member, role: TenantRole): Promise<Member>;
  reset(): void;
}

let request = 0;

export const useMembersStore = create<MembersStore>()((set, get) => ({
  list: { status: 'idle' },
  selectedUserId: null,
  async load(tenantId) {
    const mine = ++request;
    const current = get().list;
    const value = 'value' in current && current.tenantId === tenantId ? current.value : undefined;
    set({ list: value ? { status: 'loading', tenantId, value } : { status: 'loading', tenantId } });
    try {
      const members = await getBridge().invoke('members.list', { tenantId });
      if (mine === request) set({ list: { status: 'ready', tenantId, value: members } });
    } catch (error) {
      const { code, message } = toIpcError(error);
      if (mine === request) set({ list: { status: 'error', tenantId, error: { code, message }, ...(value && { value }) } });
    }
  },
  select(userId) {
    set({ selectedUserId: userId });
  },
  async changeRole(tenantId, member, role) {
    const who = member.displayName || member.email;
    const updated = await withStepUp(`Changing the role of ${who}`, () =>
      getBridge().invoke('members.changeRole', { tenantId, userId: member.userId, role }),
    );
    const list = get().list;
    if ('value' in list && list.value && list.tenantId === tenantId) {
      set({ list: { ...list, value: list.value.map((m) => (m.userId === updated.userId ? updated : m)) } });
    }
    return updated;
  },
  reset() {
    request += 1;
    set({ list: { status: 'idle' }, selectedUserId: null });
  },
}));
