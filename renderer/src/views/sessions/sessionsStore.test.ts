import { describe, expect, it } from 'vitest';
import type { AttestBridge, IpcInput } from '../../../../shared/ipc/contract';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { initPlatform } from '../../platform/platform';
import { sessionOf } from './session.fixture';
import { useSessionsStore } from './sessionsStore';

const T = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' as TenantId;
const ANN = '00000000-0000-4000-8000-0000000000a1';
const BOB = '00000000-0000-4000-8000-0000000000b2';
const session = sessionOf;

/** The service as the console core answers for it: filtered by userId, a cursor per filter. */
const asked: IpcInput<'sessions.list'>[] = [];
const bridge: AttestBridge = {
  invoke: (async (_channel: string, input: IpcInput<'sessions.list'>) => {
    asked.push(input);
    if (input.userId === BOB) return { items: [session(input.cursor ? 4 : 3, BOB, 'bob@example.com')], nextCursor: input.cursor ? null : 'bob-1' };
    return { items: [session(1, ANN, 'ann@example.com'), session(2, BOB, 'bob@example.com')], nextCursor: 'all-1' };
  }) as AttestBridge['invoke'],
  subscribe: () => () => undefined,
};
initPlatform({ attest: bridge } as unknown as Window);

describe('sessions store', () => {
  it('asks the service with the filter, restarts paging when it changes, and pages on with that filter', async () => {
    const store = useSessionsStore.getState();
    await store.load(T);
    expect(asked.at(-1)).toEqual({ tenantId: T, limit: 500 });
    store.setFilter({ userId: BOB });
    // The previous list's cursor is never sent with the new filter.
    expect(useSessionsStore.getState().nextCursor).toBeNull();
    await expect.poll(() => useSessionsStore.getState().nextCursor).toBe('bob-1');
    expect(asked.at(-1)).toEqual({ tenantId: T, limit: 500, userId: BOB });
    await useSessionsStore.getState().loadMore(T);
    expect(asked.at(-1)).toEqual({ tenantId: T, limit: 500, userId: BOB, cursor: 'bob-1' });
    const { list, users } = useSessionsStore.getState();
    expect(list.status === 'ready' && list.value.map((s) => s.userId)).toEqual([BOB, BOB]);
    // Ann, seen before the filter, stays choosable.
    expect(users.map((u) => u.userId)).toEqual([ANN, BOB]);
    const count = asked.length;
    useSessionsStore.getState().setFilter({ userId: BOB });
    expect(asked).toHaveLength(count);
    useSessionsStore.getState().setFilter({ flaggedOnly: true });
    expect(asked.at(-1)).toEqual({ tenantId: T, limit: 500, userId: BOB, flagged: true });
  });
});
