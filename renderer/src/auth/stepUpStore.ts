import { createPersonStore } from '../platform/personStore';
import type { IpcErrorShape } from '../../../shared/ipc/contract';
import { toIpcError } from '../platform/ipcError';
import { getBridge } from '../platform/platform';

interface StepUpStore {
  /** What the user is confirming, while the dialog is open. */
  purpose: string | null;
  busy: boolean;
  error: IpcErrorShape | null;
  /** Opens the dialog; resolves true once a code was accepted, false if the user dismissed it. */
  request(purpose: string): Promise<boolean>;
  submit(code: string): Promise<void>;
  dismiss(): void;
}

let settle: ((ok: boolean) => void) | null = null;

export const useStepUpStore = createPersonStore<StepUpStore>('stepUp', (set, get) => ({
  purpose: null,
  busy: false,
  error: null,
  request(purpose) {
    settle?.(false);
    set({ purpose, busy: false, error: null });
    return new Promise<boolean>((resolve) => {
      settle = resolve;
    });
  },
  async submit(code) {
    if (get().busy) return;
    set({ busy: true, error: null });
    try {
      await getBridge().invoke('auth.stepUp', { code });
      set({ purpose: null, busy: false });
      settle?.(true);
      settle = null;
    } catch (error) {
      const { code: errorCode, message } = toIpcError(error);
      set({ busy: false, error: { code: errorCode, message } });
    }
  },
  dismiss() {
    set({ purpose: null, busy: false, error: null });
    settle?.(false);
    settle = null;
  },
}));

/**
 * Runs a destructive action; if the service asks for a fresh code (step_up_required),
 * opens the step-up dialog and, once a code is accepted, runs the action once more.
 * Rejects with the original error when the user dismisses the dialog.
 */
export async function withStepUp<T>(purpose: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const failure = toIpcError(error);
    if (failure.code !== 'step_up_required') throw failure;
    if (!(await useStepUpStore.getState().request(purpose))) throw failure;
    return action();
  }
}

/** The hook form, for components: `const runWithStepUp = useStepUp(); await runWithStepUp('Change role', () => …)`. */
export const useStepUp = (): typeof withStepUp => withStepUp;
