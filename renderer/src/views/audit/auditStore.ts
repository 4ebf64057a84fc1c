import { createPersonStore } from '../../platform/personStore';
import type { AuditEvent } from '../../../../shared/audit/event';
import type { AuditExportResult, AuditProgress, AuditStatus, EventVerification, VerifyLogResult } from '../../../../shared/ipc/audit';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import { toErrorShape } from '../../platform/ipcError';
import { getBridge } from '../../platform/platform';
import { cursorOfPage, hasFilters, missingPages, PAGE_SIZE, type AuditQueryFilters, type FilterProblem } from './auditModel';

type Load<T> = { status: 'idle' } | { status: 'loading'; value?: T } | { status: 'ready'; value: T } | { status: 'error'; error: IpcErrorShape; value?: T };

interface Operation<R> {
  running: boolean;
  progress: Pick<AuditProgress, 'phase' | 'done' | 'total'> | null;
  result: R | null;
  error: IpcErrorShape | null;
}
const idle = <R>(): Operation<R> => ({ running: false, progress: null, result: null, error: null });

interface AuditStore {
  logId: string | null;
  query: AuditQueryFilters;
  status: Load<AuditStatus>;
  /** indexed: row i is event i + 1, any page loads directly; sequential: filtered, pages load in order. */
  mode: 'indexed' | 'sequential';
  total: number;
  pages: ReadonlyMap<number, readonly AuditEvent[]>;
  pending: ReadonlySet<number>;
  /** Sequential mode: where the next page starts; null once the end is reached. */
  nextCursor: string | null;
  rowsError: IpcErrorShape | null;
  /** The last filter typed was refused: no rows are shown (none of an earlier filter's stay behind). */
  refused: FilterProblem | null;
  selectedIndex: number | null;
  verification: Load<EventVerification> & { seq?: number };
  verify: Operation<VerifyLogResult>;
  /** The result carries the filter it exported, for the line that says what was written. */
  exporting: Operation<Extract<AuditExportResult, { state: 'saved' }> & { query: AuditQueryFilters }>;

  open(logId: string): Promise<void>;
  setQuery(query: AuditQueryFilters): void;
  refuse(problem: FilterProblem): void;
  refresh(): Promise<void>;
  ensureRange(start: number, end: number): void;
  select(index: number | null, seq?: number): void;
  verifyLog(): Promise<void>;
  exportLog(format: 'ndjson' | 'csv'): Promise<void>;
  dismissAlert(alertId: string, note: string): Promise<void>;
  onProgress(progress: AuditProgress): void;
}

// Answers of an earlier log or filter are dropped: each reset starts a new generation.
let generation = 0;

export const useAuditStore = createPersonStore<AuditStore>('audit', (set, get) => {
  const loadStatus = async (refresh: boolean): Promise<void> => {
    const logId = get().logId;
    if (!logId) return;
    const current = get().status;
    const value = 'value' in current ? current.value : undefined;
    set({ status: value && value.tenantId === logId ? { status: 'loading', value } : { status: 'loading' } });
    try {
      const status = await getBridge().invoke('audit.status', { tenantId: logId, refresh });
      if (get().logId === logId) set({ status: { status: 'ready', value: status } });
    } catch (error) {
      if (get().logId === logId) set({ status: { status: 'error', error: toErrorShape(error) } });
    }
  };

  const resetRows = (): void => {
    generation++;
    const { status, query } = get();
    const head = status.status === 'ready' ? status.value.verifiedHead : null;
    const indexed = !hasFilters(query) && head !== null;
    set({
      mode: indexed ? 'indexed' : 'sequential',
      total: indexed ? head.treeSize : 1,
      pages: new Map(),
      pending: new Set(),
      nextCursor: indexed ? null : '0',
      rowsError: null,
      refused: null,
      selectedIndex: null,
      verification: { status: 'idle' },
    });
  };

  /**
   * The first page is asked for before the status answers (in sequential mode, which needs no
   * head); once a verified head says how long the unfiltered log is, rows load by index. Page 0
   * is the same request in both modes, so it is kept, loaded or on its way; later pages are not.
   * The rows were never vouched for by the head (one is checked when selected), so showing them
   * first hides nothing the status would have said: its alerts still appear when it answers.
   */
  const adoptHead = (): void => {
    const { status, query, mode, pages, pending } = get();
    const head = status.status === 'ready' ? status.value.verifiedHead : null;
    if (mode === 'indexed' || head === null || hasFilters(query) || get().refused) return;
    set({
      mode: 'indexed',
      total: head.treeSize,
      pages: new Map([...pages].filter(([page]) => page === 0)),
      pending: new Set([...pending].filter((page) => page === 0)),
      nextCursor: null,
    });
  };

  const loadPage = async (page: number, cursor: string): Promise<void> => {
    const { logId, query } = get();
    if (!logId) return;
    const mine = generation;
    set((s) => ({ pending: new Set(s.pending).add(page) }));
    try {
      const result = await getBridge().invoke('audit.events', { tenantId: logId, ...query, cursor, limit: PAGE_SIZE });
      if (mine !== generation) return;
      set((s) => {
        // Dropped when the rows switched to indexed loading (adoptHead): asked for with the other mode's cursor.
        if (!s.pending.has(page)) return {};
        const pages = new Map(s.pages).set(page, result.items);
        const pending = new Set(s.pending);
        pending.delete(page);
        if (s.mode === 'indexed') return { pages, pending, rowsError: null };
        const loaded = page * PAGE_SIZE + result.items.length;
        // One extra row says "loading more" until the end is reached.
        return { pages, pending, rowsError: null, nextCursor: result.nextCursor, total: loaded + (result.nextCursor === null ? 0 : 1) };
      });
    } catch (error) {
      if (mine !== generation) return;
      set((s) => {
        if (!s.pending.has(page)) return {};
        const pending = new Set(s.pending);
        pending.delete(page);
        return { pending, rowsError: toErrorShape(error) };
      });
    }
  };

  const runProgress = (op: 'verify' | 'exporting', patch: Partial<Operation<unknown>>) =>
    set((s) => ({ [op]: { ...s[op], ...patch } }) as Partial<AuditStore>);

  return {
    logId: null,
    query: {},
    status: { status: 'idle' },
    mode: 'sequential',
    total: 0,
    pages: new Map(),
    pending: new Set(),
    nextCursor: null,
    rowsError: null,
    refused: null,
    selectedIndex: null,
    verification: { status: 'idle' },
    verify: idle(),
    exporting: idle(),

    async open(logId) {
      if (get().logId === logId && get().status.status !== 'idle') return;
      set({ logId, status: { status: 'idle' }, verify: idle(), exporting: idle() });
      resetRows();
      get().ensureRange(0, 60);
      await loadStatus(true);
      if (get().logId !== logId) return;
      adoptHead();
      get().ensureRange(0, 60);
    },

    setQuery(query) {
      set({ query });
      resetRows();
      get().ensureRange(0, 60);
    },

    refuse(problem) {
      generation++;
      set({ mode: 'sequential', total: 0, pages: new Map(), pending: new Set(), nextCursor: null, rowsError: null, refused: problem, selectedIndex: null, verification: { status: 'idle' } });
    },

    async refresh() {
      if (get().refused) return;
      await loadStatus(true);
      resetRows();
      get().ensureRange(0, 60);
    },

    ensureRange(start, end) {
      const s = get();
      if (!s.logId || s.refused) return;
      if (s.mode === 'indexed') {
        for (const page of missingPages(start, end + PAGE_SIZE / 5, s.total, s.pages, s.pending)) void loadPage(page, cursorOfPage(page));
        return;
      }
      // Sequential: fetch the next page when the view nears the loaded end.
      const nextPage = s.pages.size;
      if (s.nextCursor !== null && !s.pending.has(nextPage) && end >= s.total - 100) void loadPage(nextPage, s.nextCursor);
    },

    select(index, seq) {
      set({ selectedIndex: index });
      if (index === null || seq === undefined) {
        set({ verification: { status: 'idle' } });
        return;
      }
      const logId = get().logId;
      if (!logId) return;
      set({ verification: { status: 'loading', seq } });
      getBridge()
        .invoke('audit.verifyEvent', { tenantId: logId, seq })
        .then(
          (value) => {
            if (get().verification.seq === seq) set({ verification: { status: 'ready', seq, value } });
          },
          (error: unknown) => {
            if (get().verification.seq === seq) set({ verification: { status: 'error', seq, error: toErrorShape(error) } });
          },
        );
    },

    async verifyLog() {
      const logId = get().logId;
      if (!logId || get().verify.running) return;
      set({ verify: { running: true, progress: null, result: null, error: null } });
      try {
        const result = await getBridge().invoke('audit.verifyLog', { tenantId: logId, source: 'auto' });
        if (get().logId === logId) runProgress('verify', { running: false, result });
      } catch (error) {
        if (get().logId === logId) runProgress('verify', { running: false, error: toErrorShape(error) });
      }
      if (get().logId === logId) await loadStatus(false);
    },

    async exportLog(format) {
      const logId = get().logId;
      if (!logId || get().exporting.running || get().refused) return;
      const query = get().query;
      set({ exporting: { running: true, progress: null, result: null, error: null } });
      try {
        const result = await getBridge().invoke('audit.export', { tenantId: logId, format, ...query });
        runProgress('exporting', { running: false, result: result.state === 'saved' ? { ...result, query } : null });
      } catch (error) {
        runProgress('exporting', { running: false, error: toErrorShape(error) });
      }
    },

    async dismissAlert(alertId, note) {
      await getBridge().invoke('audit.dismissAlert', { alertId, note });
      await loadStatus(false);
    },

    onProgress(progress) {
      if (progress.tenantId !== get().logId) return;
      const op = progress.operation === 'verify' ? 'verify' : 'exporting';
      if (!get()[op].running) return;
      runProgress(op, { progress: { phase: progress.phase, done: progress.done, total: progress.total } });
    },
  };
});

/** A new alert arrived from the core: show it (the banner reads alerts from the status). */
export const reloadAuditStatus = (): void => {
  const { logId, status } = useAuditStore.getState();
  if (!logId) return;
  void getBridge()
    .invoke('audit.status', { tenantId: logId, refresh: false })
    .then((value) => {
      if (useAuditStore.getState().logId === logId) useAuditStore.setState({ status: { status: 'ready', value } });
    })
    .catch(() => {
      if (useAuditStore.getState().logId === logId) useAuditStore.setState({ status });
    });
};
