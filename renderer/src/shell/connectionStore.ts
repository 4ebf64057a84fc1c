import { create } from 'zustand';
import type { ConnectionStatus } from '../../../shared/ipc/contract';
import type { SyncStatus } from '../../../shared/ipc/incidents';
import { toIpcError } from '../platform/ipcError';
import { getPlatform } from '../platform/platform';
import type { TransportState } from '../platform/transport';
import { describeConnection, type ConnectionDisplay } from './connectionModel';

interface ConnectionStore {
  status: ConnectionStatus | null;
  transport: TransportState | null;
  display: ConnectionDisplay;
  retrying: boolean;
  /** The last failure of a status check or retry, as `code: message`. */
  lastError: string | null;
  /** How far the running incidents sync is (incidents.changed), null between syncs. */
  syncProgress: SyncStatus['progress'];
  retry(): Promise<void>;
}

export const useConnectionStore = create<ConnectionStore>()((set, get) => ({
  status: null,
  transport: null,
  display: describeConnection(null, null),
  retrying: false,
  lastError: null,
  syncProgress: null,
  async retry() {
    const { link, bridge } = getPlatform();
    if (link && link.transport.kind !== 'open') {
      link.reconnectNow();
      return;
    }
    set({ retrying: true });
    try {
      applyStatus(await bridge.invoke('connection.retry', {}));
    } catch (error) {
      const { code, message } = toIpcError(error);
      set({ lastError: `${code}: ${message}` });
    } finally {
      if (get().retrying) set({ retrying: false });
    }
  },
}));

const applyStatus = (status: ConnectionStatus) =>
  useConnectionStore.setState((s) => ({ status, lastError: null, display: describeConnection(status, s.transport) }));

const applyTransport = (transport: TransportState) =>
  useConnectionStore.setState((s) => ({ transport, display: describeConnection(s.status, transport) }));

const refreshStatus = async () => {
  try {
    applyStatus(await getPlatform().bridge.invoke('connection.status', {}));
  } catch (error) {
    const { code, message } = toIpcError(error);
    useConnectionStore.setState({ lastError: `${code}: ${message}` });
  }
};

/** Asks the core again (after the console connected to another service). */
export const refreshConnectionStatus = (): Promise<void> => refreshStatus();

/** Wires the store to the platform once, at start-up (outside React, so StrictMode cannot double it). */
export const startConnectionTracking = (): void => {
  const { bridge, link } = getPlatform();
  bridge.subscribe('connection.changed', applyStatus);
  bridge.subscribe('incidents.changed', (sync) => useConnectionStore.setState({ syncProgress: sync.syncing ? sync.progress : null }));
  if (link) {
    applyTransport(link.transport);
    link.onTransportChange((transport) => {
      applyTransport(transport);
      // Events sent while the link was down are lost; ask again.
      if (transport.kind === 'open') void refreshStatus();
    });
    // The countdown in the reconnect message is derived from the clock.
    setInterval(() => {
      if (useConnectionStore.getState().transport?.kind === 'reconnecting') applyTransport(link.transport);
    }, 1000);
  }
  // In browser mode the first status check follows the link's first 'open'.
  if (!link) void refreshStatus();
};
