import { create } from 'zustand';
import type { IpcErrorShape } from '../../../shared/ipc/contract';
import type { PinnedService, ServiceChoice, ServiceSetup } from '../../../shared/ipc/service-connection';
import { refreshAuthState } from '../auth/authStore';
import { exclusiveSteps, refreshWhenLinked } from '../platform/coreTracking';
import { toErrorShape } from '../platform/ipcError';
import { resetPersonStores } from '../platform/personStore';
import { getPlatform } from '../platform/platform';
import { refreshConnectionStatus } from '../shell/connectionStore';

interface ServiceStore {
  /** null until the core has answered service.current. */
  setup: ServiceSetup | null;
  /** Connected, and the person asked to connect to another service (the Connect screen shows). */
  choosing: boolean;
  busy: boolean;
  /** What the core reached with the pin given, waiting for the person to confirm. */
  checked: PinnedService | null;
  error: IpcErrorShape | null;
  check(choice: ServiceChoice): Promise<void>;
  /** Electron: the core shows an open-file dialog and checks the file picked. */
  openFile(): Promise<void>;
  connect(leaveUnsynced?: boolean): Promise<void>;
  chooseAnother(): void;
  /** Back: from a checked service to the choice, or from the Connect screen to the console. */
  back(): void;
  fail(error: IpcErrorShape): void;
}

const bridge = () => getPlatform().bridge;

/** The checked service as the choice to save: exactly what was shown. */
const choiceOf = (service: PinnedService): ServiceChoice => ({
  serviceUrl: service.serviceUrl,
  fingerprint: service.fingerprint,
  ...(service.label !== undefined ? { label: service.label } : {}),
  ...(service.region === 'eu' || service.region === 'us' ? { region: service.region } : {}),
});

// Which service the console talks to belongs to nobody signed in: zustand's create, like the connection store.
export const useServiceStore = create<ServiceStore>()((set, get) => {
  const run = exclusiveSteps(get, set);
  return {
    setup: null,
    choosing: false,
    busy: false,
    checked: null,
    error: null,
    check: (choice) => run(async () => set({ checked: await bridge().invoke('service.check', choice) })),
    openFile: () =>
      run(async () => {
        const checked = await bridge().invoke('service.openFile', {});
        if (checked) set({ checked });
      }),
    connect: (leaveUnsynced = false) =>
      run(async () => {
        const { checked } = get();
        if (!checked) return;
        applySetup(await bridge().invoke('service.connect', { choice: choiceOf(checked), leaveUnsynced }));
      }),
    chooseAnother: () => set({ choosing: true, checked: null, error: null }),
    back: () => (get().checked ? set({ checked: null, error: null }) : set({ choosing: false, error: null })),
    fail: (error) => set({ error }),
  };
});

/** The console runs against another service now: nothing the page held of the previous one stays. */
function applySetup(setup: ServiceSetup): void {
  const before = useServiceStore.getState().setup;
  useServiceStore.setState({ setup, choosing: false, checked: null, error: null });
  if (before === null || JSON.stringify(before) === JSON.stringify(setup)) return;
  resetPersonStores();
  if (setup.configured) {
    void refreshAuthState();
    void refreshConnectionStatus();
  }
}

const refreshSetup = async (): Promise<void> => {
  try {
    applySetup(await bridge().invoke('service.current', {}));
  } catch (error) {
    useServiceStore.setState({ error: toErrorShape(error) });
  }
};

/** Wires the store to the platform once, at start-up (outside React, so StrictMode cannot double it). */
export const startServiceTracking = (): void => {
  bridge().subscribe('service.changed', applySetup);
  // Electron's app menu: File → Connect to another service…
  bridge().subscribe('service.choose', () => {
    if (useServiceStore.getState().setup?.configured) useServiceStore.getState().chooseAnother();
  });
  refreshWhenLinked(() => void refreshSetup());
};
