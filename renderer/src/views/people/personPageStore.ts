import { createPersonStore } from '../../platform/personStore';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { CutOffPlan, CutOffResult, Person } from '../../../../shared/people/schemas';
import { withStepUp } from '../../auth/stepUpStore';
import { toErrorShape } from '../../platform/ipcError';
import { getBridge } from '../../platform/platform';

export type Load<T> = { status: 'idle' } | { status: 'loading'; value?: T } | { status: 'ready'; value: T } | { status: 'error'; error: IpcErrorShape; value?: T };

/** Where a cut-off stands: reading its plan, waiting for confirmation, running, or done with a result per item. */
export type CutOff =
  | { step: 'closed' }
  | { step: 'planning' }
  | { step: 'confirm'; plan: CutOffPlan }
  | { step: 'running'; plan: CutOffPlan }
  | { step: 'done'; plan: CutOffPlan; result: CutOffResult }
  | { step: 'error'; error: IpcErrorShape; plan: CutOffPlan | null };

interface PersonPageStore {
  userId: string | null;
  person: Load<Person>;
  cutOff: CutOff;
  load(userId: string): Promise<void>;
  /** Opens the dialog with the service's plan: exactly what would happen within the caller's authority. */
  openCutOff(userId: string): Promise<void>;
  /** Step-up, then the whole cut-off in one call; the page reloads to show what is left. */
  confirmCutOff(userId: string, reason: string, who: string): Promise<void>;
  closeCutOff(): void;
}

let request = 0;

export const usePersonPageStore = createPersonStore<PersonPageStore>('personPage', (set, get) => ({
  userId: null,
  person: { status: 'idle' },
  cutOff: { step: 'closed' },
  async load(userId) {
    const mine = ++request;
    const current = get();
    const before = current.userId === userId && 'value' in current.person ? current.person.value : undefined;
    set({ userId, person: before ? { status: 'loading', value: before } : { status: 'loading' } });
    try {
      const value = await getBridge().invoke('people.get', { userId });
      if (mine === request) set({ person: { status: 'ready', value } });
    } catch (error) {
      if (mine === request) set({ person: { status: 'error', error: toErrorShape(error), ...(before && { value: before }) } });
    }
  },
  async openCutOff(userId) {
    set({ cutOff: { step: 'planning' } });
    try {
      const plan = await getBridge().invoke('people.cutOffPlan', { userId });
      if (get().cutOff.step === 'planning') set({ cutOff: { step: 'confirm', plan } });
    } catch (error) {
      if (get().cutOff.step === 'planning') set({ cutOff: { step: 'error', error: toErrorShape(error), plan: null } });
    }
  },
  async confirmCutOff(userId, reason, who) {
    const state = get().cutOff;
    if (state.step !== 'confirm') return;
    const plan = state.plan;
    set({ cutOff: { step: 'running', plan } });
    try {
      const result = await withStepUp(`Cutting off access for ${who}`, () => getBridge().invoke('people.cutOff', { userId, reason }));
      set({ cutOff: { step: 'done', plan, result } });
    } catch (error) {
      set({ cutOff: { step: 'error', error: toErrorShape(error), plan } });
    }
    await get().load(userId);
  },
  closeCutOff() {
    set({ cutOff: { step: 'closed' } });
  },
}));
