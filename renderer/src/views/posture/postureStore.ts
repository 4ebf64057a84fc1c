import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { PostureExportResult } from '../../../../shared/ipc/posture';
import type { Posture, PostureSnapshot } from '../../../../shared/posture/api';
import { createPersonStore } from '../../platform/personStore';
import { toErrorShape } from '../../platform/ipcError';
import { getBridge } from '../../platform/platform';

type Load<T> = { status: 'idle' } | { status: 'loading'; value?: T } | { status: 'ready'; value: T } | { status: 'error'; error: IpcErrorShape; value?: T };

interface Operation<R> {
  running: boolean;
  result: R | null;
  error: IpcErrorShape | null;
}
const idle = <R,>(): Operation<R> => ({ running: false, result: null, error: null });

interface PostureStore {
  /** The tenant (or PLATFORM_SCOPE) shown; a different scope clears what was loaded. */
  scope: string | null;
  posture: Load<Posture>;
  snapshots: Load<PostureSnapshot[]>;
  selectedControlId: string | null;
  evaluating: Operation<PostureSnapshot>;
  exporting: Operation<PostureExportResult>;
  load(scope: string): Promise<void>;
  select(controlId: string | null): void;
  evaluate(): Promise<void>;
  exportEvidence(): Promise<void>;
}

const keep = <T,>(load: Load<T>): { value?: T } => ('value' in load && load.value !== undefined ? { value: load.value } : {});
let generation = 0;

export const usePostureStore = createPersonStore<PostureStore>('posture', (set, get) => ({
  scope: null,
  posture: { status: 'idle' },
  snapshots: { status: 'idle' },
  selectedControlId: null,
  evaluating: idle(),
  exporting: idle(),
  async load(scope) {
    const mine = ++generation;
    if (get().scope !== scope) set({ scope, posture: { status: 'idle' }, snapshots: { status: 'idle' }, selectedControlId: null, evaluating: idle(), exporting: idle() });
    set((s) => ({ posture: { status: 'loading', ...keep(s.posture) }, snapshots: { status: 'loading', ...keep(s.snapshots) } }));
    const bridge = getBridge();
    const [posture, snapshots] = await Promise.allSettled([bridge.invoke('posture.get', { tenantId: scope }), bridge.invoke('posture.snapshots', { tenantId: scope, limit: 90 })]);
    if (mine !== generation) return;
    set((s) => ({
      posture: posture.status === 'fulfilled' ? { status: 'ready', value: posture.value } : { status: 'error', error: toErrorShape(posture.reason), ...keep(s.posture) },
      snapshots: snapshots.status === 'fulfilled' ? { status: 'ready', value: snapshots.value } : { status: 'error', error: toErrorShape(snapshots.reason), ...keep(s.snapshots) },
    }));
  },
  select: (selectedControlId) => set({ selectedControlId }),
  async evaluate() {
    const { scope } = get();
    if (!scope) return;
    set({ evaluating: { running: true, result: null, error: null } });
    try {
      const snapshot = await getBridge().invoke('posture.evaluate', { tenantId: scope });
      set({ evaluating: { running: false, result: snapshot, error: null } });
      await get().load(scope);
    } catch (error) {
      set({ evaluating: { running: false, result: null, error: toErrorShape(error) } });
    }
  },
  async exportEvidence() {
    const { scope } = get();
    if (!scope) return;
    set({ exporting: { running: true, result: null, error: null } });
    try {
      set({ exporting: { running: false, result: await getBridge().invoke('posture.exportEvidence', { tenantId: scope }), error: null } });
    } catch (error) {
      set({ exporting: { running: false, result: null, error: toErrorShape(error) } });
    }
  },
}));
