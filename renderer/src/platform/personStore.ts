import { create, type StateCreator, type StoreApi, type UseBoundStore } from 'zustand';
import type { AuthState } from '../../../shared/ipc/contract';

/**
 * Stores that hold what one signed-in person loaded or chose (lists, selections, dialogs,
 * the section shown) are created here, and only here: each registers itself, and when
 * the person leaves (sign-out, session ended, someone else signed in) every one of them
 * is rebuilt from its initializer. Nobody has to remember to add a store to a reset list.
 * Rebuilding (not only resetting the fields) also gives the store a fresh `set`: an answer
 * the previous person's request receives after they left is dropped, not shown to the next.
 * Lint (eslint.config.js) refuses zustand's `create` anywhere else in the renderer.
 */
type SetState<T> = StoreApi<T>['setState'];

interface Registered {
  readonly name: string;
  reset(): void;
}
const registry: Registered[] = [];

export function createPersonStore<T>(name: string, initializer: StateCreator<T, [], []>): UseBoundStore<StoreApi<T>> {
  let epoch = 0;
  const setFor = (api: StoreApi<T>, mine: number): SetState<T> =>
    ((...args: Parameters<SetState<T>>) => {
      if (mine === epoch) api.setState(...args);
    }) as SetState<T>;
  const store = create<T>()((_set, get, api) => initializer(setFor(api, 0), get, api));
  registry.push({
    name,
    reset() {
      epoch += 1;
      store.setState(initializer(setFor(store, epoch), store.getState, store), true);
    },
  });
  return store;
}

/** Rebuilds every per-person store. */
export function resetPersonStores(): void {
  for (const store of registry) store.reset();
}

/** The names of the stores created through createPersonStore so far (for tests). */
export const personStoreNames = (): string[] => registry.map((s) => s.name);

const personOf = (state: AuthState | null): string | null => (state?.step === 'signed_in' ? state.me.user.id : null);

/** Whether the person signed in before is gone: signed out, or replaced by someone else. */
export const personLeft = (before: AuthState | null, now: AuthState | null): boolean => {
  const was = personOf(before);
  return was !== null && personOf(now) !== was;
};
