/**
 * The renderer's only door to the main process: `window.attest` (invoke and
 * subscribe from shared/ipc/contract.ts), and nothing else of Electron or Node.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AttestBridge, IpcEvent, IpcResult } from '../../shared/ipc/contract';

// Listed by name (type-checked against the contract both ways) so zod stays out of the sandboxed preload.
const EVENTS = ['connection.changed', 'auth.changed', 'audit.progress', 'audit.alert', 'incidents.changed', 'incidents.alert', 'incidents.open', 'service.changed', 'service.choose'] as const satisfies readonly IpcEvent[];
const everyEventListed: Exclude<IpcEvent, (typeof EVENTS)[number]> extends never ? true : never = true;
const isEvent = (name: unknown): name is IpcEvent => everyEventListed && (EVENTS as readonly unknown[]).includes(name);

type Listener = (payload: unknown) => void;
const listeners = new Map<IpcEvent, Set<Listener>>();

ipcRenderer.on('attest:event', (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (isEvent(name)) for (const listener of listeners.get(name) ?? []) listener(payload);
});

const bridge: AttestBridge = {
  async invoke(channel, input) {
    const result = (await ipcRenderer.invoke('attest:invoke', channel, input)) as IpcResult<never>;
    if (result.ok) return result.value;
    // contextBridge strips custom properties from Error objects, so the code travels in a plain object.
    throw { name: 'IpcError', code: result.error.code, message: result.error.message };
  },
  subscribe(event, listener) {
    if (!isEvent(event)) throw new TypeError(`Not an Attest event: ${String(event)}`);
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener as Listener);
    return () => void set.delete(listener as Listener);
  },
};

contextBridge.exposeInMainWorld('attest', bridge);
