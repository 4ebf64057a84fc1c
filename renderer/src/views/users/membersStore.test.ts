import { beforeEach, describe, expect, it } from 'vitest';
import type { MemberList, MemberQuery } from '../../../../shared/identity/members';
import type { Member } from '../../../../shared/identity/schemas';
import type { AttestBridge } from '../../../../shared/ipc/contract';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { initPlatform } from '../../platform/platform';
import { resetPersonStores } from '../../platform/personStore';
import { MEMBERS_PAGE, useMembersStore } from './membersStore';

const T = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' as TenantId;
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const memberOf = (n: number): Member => ({
  userId: uuid(n),
  email: `m${n.toString().padStart(5, '0')}@example.com`,
  displayName: '',
  role: 'viewer',
  mfaEnrolled: n % 2 === 0,
  status: 'active',
  lastSignInAt: null,
});

/** The service: members by email, filtered by status, read by offset; `hold` keeps the next list answer until released. */
let directory: Member[] = [];
let asked: Partial<MemberQuery>[] = [];
let hold: Promise<void> | null = null;
const listed = (query: Partial<MemberQuery>): MemberList => {
  const matching = directory.filter((m) => query.status === undefined || m.status === query.status);
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 200;
  const active = directory.filter((m) => m.status === 'active');
  return {
    items: matching.slice(offset, offset + limit),
    hasMore: offset + limit < matching.length,
    counts: { enrolled: active.filter((m) => m.mfaEnrolled).length, notEnrolled: active.filter((m) => !m.mfaEnrolled).length, invited: 0 },
  };
};
const bridge: AttestBridge = {
  invoke: (async (channel: string, input: { query?: Partial<MemberQuery>; userId?: string }) => {
    if (channel === 'members.deactivate') {
      directory = directory.map((m) => (m.userId === input.userId ? { ...m, status: 'deactivated' } : m));
      return directory.find((m) => m.userId === input.userId);
    }
    const query = { ...input.query };
    asked.push(query);
    const waitFor = hold;
    if (waitFor) await waitFor;
    return listed(query);
  }) as AttestBridge['invoke'],
  subscribe: () => () => undefined,
};
initPlatform({ attest: bridge } as unknown as Window);

const loaded = (): Member[] => {
  const list = useMembersStore.getState().list;
  return 'value' in list && list.value ? list.value.items : [];
};
const hasMore = () => {
  const list = useMembersStore.getState().list;
  return 'value' in list && list.value ? list.value.hasMore : false;
};
const scrollToEnd = async () => {
  while (hasMore()) await useMembersStore.getState().loadMore(T);
};
const ids = (members: readonly Member[]) => members.map((m) => m.userId);

beforeEach(() => {
  resetPersonStores();
  directory = Array.from({ length: 1200 }, (_, i) => memberOf(i + 1));
  asked = [];
  hold = null;
});

describe('members store paging', () => {
  it('lists every member once, in the service order, a page at a time as the list is scrolled', async () => {
    await useMembersStore.getState().load(T);
    expect(loaded()).toHaveLength(MEMBERS_PAGE);
    expect(hasMore()).toBe(true);
    await scrollToEnd();
    expect(ids(loaded())).toEqual(ids(directory));
    expect(asked.map((q) => q.offset ?? 0)).toEqual([0, 450, 900]);
  });

  it('does not lose a member when others leave the filter between two pages', async () => {
    await useMembersStore.getState().setFilters(T, { status: 'active' });
    // Another admin deactivates three of the members already shown: the service's pages shift up by three.
    for (const n of [10, 200, 499]) directory[n - 1] = { ...directory[n - 1]!, status: 'deactivated' };
    await scrollToEnd();
    const shown = new Set(ids(loaded()));
    const missing = directory.filter((m) => m.status === 'active' && !shown.has(m.userId));
    expect(missing).toEqual([]);
    expect(shown.size).toBe(loaded().length);
  });

  it('keeps the rows loaded when a member is changed far down the list, and refreshes the counts', async () => {
    await useMembersStore.getState().load(T);
    await scrollToEnd();
    const target = loaded()[1000]!;
    const before = asked.length;
    await useMembersStore.getState().deactivate(T, target);
    await expect.poll(() => useMembersStore.getState().list.status === 'ready' && (useMembersStore.getState().list as { value: MemberList }).value.counts.notEnrolled).toBe(599);
    expect(loaded()).toHaveLength(1200);
    expect(loaded()[1000]).toMatchObject({ userId: target.userId, status: 'deactivated' });
    // Only the counts were read again (one row), not the first page.
    expect(asked.slice(before)).toEqual([{ limit: 1 }]);
  });

  it('drops a page that answers after the filter changed, and asks one page at a time', async () => {
    await useMembersStore.getState().load(T);
    let release = () => {};
    hold = new Promise((r) => (release = r));
    const more = useMembersStore.getState().loadMore(T);
    const twice = useMembersStore.getState().loadMore(T);
    const filtered = useMembersStore.getState().setFilters(T, { status: 'deactivated' });
    hold = null;
    release();
    await Promise.all([more, twice, filtered]);
    expect(asked.filter((q) => q.offset === 450)).toHaveLength(1);
    expect(loaded()).toEqual([]);
    expect(useMembersStore.getState().list.status).toBe('ready');
  });
});
