import { IpcError, type AttestBridge } from '../../../shared/ipc/contract';
import { BRIDGE_PATH } from '../../../shared/ipc/wire';
import { takeBridgeSecret } from './bridgeSecret';
import { RENDERER_ERROR_CODES, toIpcError } from './ipcError';
import type { TransportSource } from './transport';
import { createWebSocketBridge, type WebSocketBridge } from './webSocketBridge';

export interface Platform {
  readonly mode: 'electron' | 'browser';
  readonly bridge: AttestBridge;
  /** Browser mode only: the page's link to the console core. */
  readonly link: (TransportSource & { reconnectNow(): void }) | null;
}

/** Electron's IPC flattens errors crossing the context bridge; give them their code back. */
const withIpcErrors = (bridge: AttestBridge): AttestBridge => ({
  invoke: (channel, input) =>
    bridge.invoke(channel, input).catch((error: unknown) => {
      throw toIpcError(error);
    }),
  subscribe: (event, listener) => bridge.subscribe(event, listener),
});

const unauthorisedBridge = (): AttestBridge => ({
  invoke: () =>
    Promise.reject(
      new IpcError(
        RENDERER_ERROR_CODES.bridgeNotAuthorised,
        'This page has no launch key. Open the address printed when the console was started.',
      ),
    ),
  subscribe: () => () => undefined,
});

const bridgeUrl = (location: Location) =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${BRIDGE_PATH}`;

const createPlatform = (win: Window): Platform => {
  if (win.attest) return { mode: 'electron', bridge: withIpcErrors(win.attest), link: null };

  const secret = takeBridgeSecret(win.location, win.history);
  if (secret === null) {
    return {
      mode: 'browser',
      bridge: unauthorisedBridge(),
      link: { transport: { kind: 'missing_secret' }, onTransportChange: () => () => undefined, reconnectNow: () => undefined },
    };
  }
  const bridge: WebSocketBridge = createWebSocketBridge({ url: bridgeUrl(win.location), secret, WebSocket });
  return { mode: 'browser', bridge, link: bridge };
};

let platform: Platform | null = null;

/** Called once, before the first render. */
export const initPlatform = (win: Window): Platform => {
  platform ??= createPlatform(win);
  return platform;
};

export const getPlatform = (): Platform => {
  if (!platform) throw new Error('initPlatform() must run before the platform is used');
  return platform;
};

export const getBridge = (): AttestBridge => getPlatform().bridge;
