import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../shared/audit/event';
import type { AuditStatus } from '../../../../shared/ipc/audit';
import type { AttestBridge } from '../../../../shared/ipc/contract';
import { initPlatform } from '../../platform/platform';
import { resetPersonStores } from '../../platform/personStore';
import { PAGE_SIZE } from './auditModel';
import { useAuditStore } from './auditStore';

const LOG = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d';

interface Call {
  channel: string;
  input: Record<string, unknown>;
  answer(value: unknown): void;
}
let calls: Call[] = [];
const bridge: AttestBridge = {
  invoke: ((channel: string, input: Record<string, unknown>) =>
    new Promise((answer) => {
      calls.push({ channel, input, answer });
    })) as AttestBridge['invoke'],
  subscribe: () => () => undefined,
};
initPlatform({ attest: bridge } as unknown as Window);

const event = (seq: number) => ({ tenantId: LOG, seq }) as unknown as AuditEvent;
const page = (from: number, n: number, nextCursor: string | null) => ({ items: Array.from({ length: n }, (_, k) => event(from + k)), nextCursor });
const status = (treeSize: number | null): AuditStatus =>
  ({
    tenantId: LOG,
    verifiedHead: treeSize === null ? null : { tenantId: LOG, treeSize, rootHash: 'ab'.repeat(32), timestamp: '2026-12-05T05:00:00.000Z', keyId: 'k1', signature: 'c2ln' },
    verifiedAt: null,
    alerts: [],
    keys: [],
    refreshError: null,
  }) as AuditStatus;
const pending = (channel: string) => calls.filter((c) => c.channel === channel);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  calls = [];
  resetPersonStores();
});

describe('opening an audit log', () => {
  it('asks for the first page beside the status, and shows it before the status answers', async () => {
    const opened = useAuditStore.getState().open(LOG);
    expect(pending('audit.status')).toHaveLength(1);
    expect(pending('audit.events').map((c) => c.input)).toEqual([{ tenantId: LOG, cursor: '0', limit: PAGE_SIZE }]);
    pending('audit.events')[0]!.answer(page(1, PAGE_SIZE, String(PAGE_SIZE)));
    await settle();
    expect(useAuditStore.getState().pages.get(0)).toHaveLength(PAGE_SIZE);
    expect(useAuditStore.getState().status.status).toBe('loading');

    pending('audit.status')[0]!.answer(status(1_234));
    await opened;
    expect(useAuditStore.getState()).toMatchObject({ mode: 'indexed', total: 1_234, nextCursor: null });
    expect(useAuditStore.getState().pages.get(0)).toHaveLength(PAGE_SIZE);
    expect(pending('audit.events')).toHaveLength(1);
  });

  it('keeps the first page on its way when the status answers first, and asks for it once', async () => {
    const opened = useAuditStore.getState().open(LOG);
    pending('audit.status')[0]!.answer(status(7));
    await opened;
    expect(useAuditStore.getState()).toMatchObject({ mode: 'indexed', total: 7 });
    expect(pending('audit.events')).toHaveLength(1);
    pending('audit.events')[0]!.answer(page(1, 7, null));
    await settle();
    expect(useAuditStore.getState().pages.get(0)).toHaveLength(7);
    expect(useAuditStore.getState().pending.size).toBe(0);
  });

  it('stays sequential without a verified head: the rows are the pages as they come', async () => {
    const opened = useAuditStore.getState().open(LOG);
    pending('audit.status')[0]!.answer(status(null));
    await opened;
    pending('audit.events')[0]!.answer(page(1, 3, null));
    await settle();
    expect(useAuditStore.getState()).toMatchObject({ mode: 'sequential', total: 3, nextCursor: null });
  });

  it('drops a later sequential page still on its way when the rows switch to indexed loading', async () => {
    const opened = useAuditStore.getState().open(LOG);
    pending('audit.events')[0]!.answer(page(1, PAGE_SIZE, 'after-first'));
    await settle();
    useAuditStore.getState().ensureRange(PAGE_SIZE - 50, PAGE_SIZE);
    const second = pending('audit.events')[1]!;
    expect(second.input.cursor).toBe('after-first');
    pending('audit.status')[0]!.answer(status(5_000));
    await opened;
    second.answer(page(PAGE_SIZE + 1, PAGE_SIZE, null));
    await settle();
    const { pages, total } = useAuditStore.getState();
    expect(total).toBe(5_000);
    expect(pages.has(1)).toBe(false);
    useAuditStore.getState().ensureRange(PAGE_SIZE, PAGE_SIZE + 10);
    expect(pending('audit.events').at(-1)!.input.cursor).toBe(String(PAGE_SIZE));
  });
});
