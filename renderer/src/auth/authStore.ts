import { create } from 'zustand';
import type { AuthState, IpcErrorShape, IpcInput } from '../../../shared/ipc/contract';
import { exclusiveSteps, refreshWhenLinked } from '../platform/coreTracking';
import { toErrorShape } from '../platform/ipcError';
import { getPlatform } from '../platform/platform';

export interface Enrolment {
  otpauthUri: string;
  secret: string;
}

interface AuthStore {
  /** null until the core has answered auth.state (it may be resuming a session from the keychain). */
  state: AuthState | null;
  busy: boolean;
  /** The last failure of a sign-in step, shown on the sign-in screen. */
  error: IpcErrorShape | null;
  enrolment: Enrolment | null;
  /** Shown once after enrolment; the shell waits until the user confirms they saved them. */
  recoveryCodes: string[] | null;
  login(input: IpcInput<'auth.login'>): Promise<void>;
  verify(input: IpcInput<'auth.verify'>): Promise<void>;
  /** A new account's invitation: sets the password, then the sign-in continues (enrolment or code). */
  acceptInvite(input: IpcInput<'auth.acceptInvite'>): Promise<void>;
  startEnrolment(): Promise<void>;
  completeEnrolment(code: string): Promise<void>;
  cancel(): Promise<void>;
  logout(): Promise<void>;
  acknowledgeRecoveryCodes(): void;
  clearError(): void;
}

const apply = (state: AuthState): void =>
  useAuthStore.setState((s) => ({
    state,
    // Leaving a sign-in step drops what belonged to it.
    enrolment: state.step === 'enrol' ? s.enrolment : null,
  }));

export const useAuthStore = create<AuthStore>()((set, get) => {
  /** Runs one sign-in step: busy while it runs, its error kept for the screen. */
  const step = exclusiveSteps(get, set);
  const bridge = () => getPlatform().bridge;

  return {
    state: null,
    busy: false,
    error: null,
    enrolment: null,
    recoveryCodes: null,
    login: (input) => step(async () => apply(await bridge().invoke('auth.login', input))),
    verify: (input) => step(async () => apply(await bridge().invoke('auth.verify', input))),
    acceptInvite: (input) => step(async () => apply(await bridge().invoke('auth.acceptInvite', input))),
    startEnrolment: () => step(async () => set({ enrolment: await bridge().invoke('auth.enrolStart', {}) })),
    completeEnrolment: (code) =>
      step(async () => {
        const { state, recoveryCodes } = await bridge().invoke('auth.enrolComplete', { code });
        set({ recoveryCodes });
        apply(state);
      }),
    cancel: () => step(async () => apply(await bridge().invoke('auth.cancel', {}))),
    logout: () => step(async () => apply(await bridge().invoke('auth.logout', {}))),
    acknowledgeRecoveryCodes: () => set({ recoveryCodes: null }),
    clearError: () => set({ error: null }),
  };
});

const refreshState = async () => {
  try {
    const state = await getPlatform().bridge.invoke('auth.state', {});
    // An earlier answer may have been not_connected (no service yet): that is past now.
    if (useAuthStore.getState().error?.code === 'not_connected') useAuthStore.setState({ error: null });
    apply(state);
  } catch (error) {
    useAuthStore.setState({ error: toErrorShape(error) });
  }
};

/** Asks the core again (after the console connected to another service). */
export const refreshAuthState = (): Promise<void> => refreshState();

/** Wires the store to the platform once, at start-up (outside React, so StrictMode cannot double it). */
export const startAuthTracking = (): void => {
  getPlatform().bridge.subscribe('auth.changed', apply);
  // A page that cannot reach the core at all still shows the sign-in screen, with the connection notice saying why.
  refreshWhenLinked(
    () => void refreshState(),
    (kind) => {
      if ((kind === 'missing_secret' || kind === 'rejected') && useAuthStore.getState().state === null) apply({ step: 'signed_out' });
    },
  );
};
