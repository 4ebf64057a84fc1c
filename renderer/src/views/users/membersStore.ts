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
import { appendNew } from '../../components/paging';

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

/** A tenant may have 50,000 members: they come a page at a time as the list is scrolled. */
export const MEMBERS_PAGE = 500;
/**
 * Pages are read by offset, so a member who left the filter between two reads (deactivated under
 * "Active") would shift the next page up and one member would never be listed. Each next page
 * starts this many rows back; the rows it repeats are left out (by user), so up to this many
 * departures between two pages lose nobody.
 */
const OVERLAP = 50;

interface MembersStore {
  list: Load;
  filters: MemberFilters;
  policy: { tenantId: TenantId; value: MfaPolicyState } | null;
  selectedUserId: string | null;
  /** The first page (with the filters' counts). */
  load(tenantId: TenantId): Promise<void>;
  /** The next page, appended (one request at a time; nothing when all are loaded or the list is not ready). */
  loadMore(tenantId: TenantId): Promise<void>;
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

const memberKey = (m: Member) => m.userId;

export const useMembersStore = createPersonStore<MembersStore>('members', (set, get) => {
  // Per person: a page the previous person asked for does not hold back the next person's.
  let moreInFlight = false;
  const refreshCounts = async (tenantId: TenantId) => {
    const mine = request;
    try {
      const { counts } = await getBridge().invoke('members.list', { tenantId, query: { ...get().filters, limit: 1 } });
      const now = get().list;
      if (mine === request && 'value' in now && now.value && now.tenantId === tenantId) set({ list: { ...now, value: { ...now.value, counts } } });
    } catch {
      // The counts shown stay; the next load or refresh reads them again.
    }
  };
  /**
   * Replaces the member where it is listed and refreshes the counts, which the change may have moved.
   * The rows loaded stay (an admin scrolled to row 3,000 is not sent back to the first page); the
   * changed member keeps its place until the list is refreshed, so the change stays in view.
   */
  const updated = (tenantId: TenantId, member: Member): Member => {
    const list = get().list;
    if ('value' in list && list.value && list.tenantId === tenantId) {
      set({ list: { ...list, value: { ...list.value, items: list.value.items.map((m) => (m.userId === member.userId ? member : m)) } } });
    }
    void refreshCounts(tenantId);
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
        const page = await getBridge().invoke('members.list', { tenantId, query: { ...get().filters, limit: MEMBERS_PAGE } });
        if (mine === request) set({ list: { status: 'ready', tenantId, value: page } });
      } catch (error) {
        const { code, message } = toIpcError(error);
        if (mine === request) set({ list: { status: 'error', tenantId, error: { code, message }, ...(value && { value }) } });
      }
    },
    async loadMore(tenantId) {
      const { list, filters } = get();
      if (moreInFlight || list.status !== 'ready' || list.tenantId !== tenantId || !list.value.hasMore) return;
      const mine = request;
      moreInFlight = true;
      try {
        const page = await getBridge().invoke('members.list', { tenantId, query: { ...filters, offset: Math.max(0, list.value.items.length - OVERLAP), limit: MEMBERS_PAGE } });
        const now = get().list;
        if (mine !== request || now.status !== 'ready' || now.tenantId !== tenantId) return;
        set({ list: { status: 'ready', tenantId, value: { ...now.value, items: appendNew(now.value.items, page.items, memberKey), hasMore: page.hasMore, counts: page.counts } } });
      } catch (error) {
        const { code, message } = toIpcError(error);
        const now = get().list;
        if (mine === request && 'value' in now && now.value) set({ list: { status: 'error', tenantId, error: { code, message }, value: now.value } });
      } finally {
        moreInFlight = false;
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
