import { createPersonStore } from '../../platform/personStore';
import type { InviteCreated, MemberQuery, MfaCounts, MfaPolicy, MfaPolicyState } from '../../../../shared/identity/members';
import type { Member } from '../../../../shared/identity/schemas';
import type { TenantRole } from '../../../../shared/identity/roles';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { OfflineCopy } from '../../../../shared/ipc/directory';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { withStepUp } from '../../auth/stepUpStore';
import { toIpcError } from '../../platform/ipcError';
import { getBridge } from '../../platform/platform';

export interface MemberPage {
  readonly items: Member[];
  readonly hasMore: boolean;
  readonly counts: MfaCounts;
  /** Set when the page is the console's offline copy (the service could not be reached). */
  readonly offline?: OfflineCopy;
}

type Load =
  | { status: 'idle' }
  | { status: 'loading'; tenantId: TenantId; value?: MemberPage }
  | { status: 'ready'; tenantId: TenantId; value: MemberPage }
  | { status: 'error'; tenantId: TenantId; error: IpcErrorShape; value?: MemberPage };

export type MemberFilters = Partial<Pick<MemberQuery, 'role' | 'status' | 'mfa' | 'sort' | 'order'>>;

/** One page is enough for the console's table; "more" says to narrow the filters. */
const PAGE = 500;

interface MembersStore {
  list: Load;
  filters: MemberFilters;
  policy: { tenantId: TenantId; value: MfaPolicyState } | null;
  selectedUserId: string | null;
  load(tenantId: TenantId): Promise<void>;
  setFilters(tenantId: TenantId, filters: MemberFilters): Promise<void>;
  loadPolicy(tenantId: TenantId): Promise<void>;
  select(userId: string | null): void;
  /** Through the step-up dialog when the service asks for a fresh code. Resolves with the updated member. */
  changeRole(tenantId: TenantId, member: Member, role: TenantRole): Promise<Member>;
  /** The token is returned to the dialog that shows it once; the store keeps no copy. */
  invite(tenantId: TenantId, email: string, role: TenantRole): Promise<InviteCreated>;
  deactivate(tenantId: TenantId, member: Member): Promise<Member>;
  reactivate(tenantId: TenantId, member: Member): Promise<Member>;
  resetMfa(tenantId: TenantId, member: Member): Promise<Member>;
  setPolicy(tenantId: TenantId, policy: MfaPolicy): Promise<MfaPolicyState>;
  reset(): void;
}

let request = 0;

export const useMembersStore = createPersonStore<MembersStore>('members', (set, get) => {
  /** Replaces the member in the page and reloads the counts, which the change may have moved. */
  const updated = (tenantId: TenantId, member: Member): Member => {
    const list = get().list;
    if ('value' in list && list.value && list.tenantId === tenantId) {
      set({ list: { ...list, value: { ...list.value, items: list.value.items.map((m) => (m.userId === member.userId ? member : m)) } } });
    }
    void get().load(tenantId);
    return member;
  };
  const who = (m: Member) => m.displayName || m.email;

  return {
    list: { status: 'idle' },
    filters: {},
    policy: null,
    selectedUserId: null,
    async load(tenantId) {
      const mine = ++request;
      const current = get().list;
      const value = 'value' in current && current.tenantId === tenantId ? current.value : undefined;
      set({ list: value ? { status: 'loading', tenantId, value } : { status: 'loading', tenantId } });
      try {
        const page = await getBridge().invoke('members.list', { tenantId, query: { ...get().filters, limit: PAGE } });
        if (mine === request) set({ list: { status: 'ready', tenantId, value: page } });
      } catch (error) {
        const { code, message } = toIpcError(error);
        if (mine === request) set({ list: { status: 'error', tenantId, error: { code, message }, ...(value && { value }) } });
      }
    },
    async setFilters(tenantId, filters) {
      set({ filters });
      await get().load(tenantId);
    },
    async loadPolicy(tenantId) {
      try {
        const value = await getBridge().invoke('members.mfaPolicy', { tenantId });
        set({ policy: { tenantId, value } });
      } catch {
        set({ policy: null });
      }
    },
    select(userId) {
      set({ selectedUserId: userId });
    },
    async changeRole(tenantId, member, role) {
      const m = await withStepUp(`Changing the role of ${who(member)}`, () => getBridge().invoke('members.changeRole', { tenantId, userId: member.userId, role }));
      return updated(tenantId, m);
    },
    async invite(tenantId, email, role) {
      const created = await getBridge().invoke('members.invite', { tenantId, email, role });
      void get().load(tenantId);
      return created;
    },
    async deactivate(tenantId, member) {
      const m = await withStepUp(`Deactivating ${who(member)}`, () => getBridge().invoke('members.deactivate', { tenantId, userId: member.userId }));
      return updated(tenantId, m);
    },
    async reactivate(tenantId, member) {
      const m = await withStepUp(`Reactivating ${who(member)}`, () => getBridge().invoke('members.reactivate', { tenantId, userId: member.userId }));
      return updated(tenantId, m);
    },
    async resetMfa(tenantId, member) {
      const m = await withStepUp(`Resetting MFA of ${who(member)}`, () => getBridge().invoke('members.resetMfa', { tenantId, userId: member.userId }));
      return updated(tenantId, m);
    },
    async setPolicy(tenantId, policy) {
      const value = await withStepUp(policy.mfaRequired ? 'Enforcing MFA' : 'Turning MFA enforcement off', () =>
        getBridge().invoke('members.setMfaPolicy', { tenantId, policy }),
      );
      set({ policy: { tenantId, value } });
      return value;
    },
    reset() {
      request += 1;
      set({ list: { status: 'idle' }, selectedUserId: null, policy: null });
    },
  };
});
