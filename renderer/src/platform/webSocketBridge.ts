import {
  IpcError,
  ipcEvents,
  isIpcEvent,
  type AttestBridge,
  type IpcChannel,
  type IpcEvent,
  type IpcEventPayload,
  type IpcInput,
  type IpcOutput,
} from '../../../shared/ipc/contract';
import { BRIDGE_CLOSE, ServerFrameSchema, type ClientFrame } from '../../../shared/ipc/wire';
import { RENDERER_ERROR_CODES } from './ipcError';
import type { TransportSource, TransportState } from './transport';

/** The part of the WebSocket API the bridge uses: the DOM's WebSocket and the `ws` package's both fit. */
export interface BridgeSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { readonly code: number }) => void): void;
}
export type BridgeSocketConstructor = new (url: string) => BridgeSocket;

export interface WebSocketBridgeOptions {
  url: string;
  secret: string;
  WebSocket: BridgeSocketConstructor;
  /** Reconnect delays: doubling from initialMs up to maxMs, with jitter. */
  backoff?: { initialMs: number; maxMs: number };
  /** How long an invoke waits for the link to come (back) up before it is rejected. */
  linkWaitMs?: number;
  /** How long the core may take to answer `hello` before the socket is recycled. */
  welcomeTimeoutMs?: number;
  random?: () => number;
}

export interface WebSocketBridge extends AttestBridge, TransportSource {
  /** Skip the current backoff delay and reconnect now. */
  reconnectNow(): void;
  /** Close for good: pending and later invokes are rejected. */
  close(): void;
}

const OPEN = 1;

interface Pending {
  channel: IpcChannel;
  resolve(value: unknown): void;
  reject(error: IpcError): void;
}

interface Waiting {
  send(): void;
  reject(error: IpcError): void;
}

const linkDown = (message: string) => new IpcError(RENDERER_ERROR_CODES.bridgeUnavailable, message);
const notAuthorised = (message: string) => new IpcError(RENDERER_ERROR_CODES.bridgeNotAuthorised, message);

/**
 * The browser-mode AttestBridge: the same contract as the Electron preload, carried
 * over a WebSocket to the console core that serves the page. Every frame from the
 * core is validated with the shared schemas, results with the channel's output
 * schema. The link reconnects with backoff; the secret stays in this closure.
 */
export const createWebSocketBridge = (options: WebSocketBridgeOptions): WebSocketBridge => {
  const { url, secret, WebSocket } = options;
  const backoff = options.backoff ?? { initialMs: 250, maxMs: 10_000 };
  const linkWaitMs = options.linkWaitMs ?? 10_000;
  const welcomeTimeoutMs = options.welcomeTimeoutMs ?? 5_000;
  const random = options.random ?? Math.random;

  let socket: BridgeSocket | null = null;
  let welcomed = false;
  let closedForGood = false;
  let attempt = 0;
  let nextId = 1;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let welcomeTimer: ReturnType<typeof setTimeout> | undefined;
  let transport: TransportState = { kind: 'connecting' };

  const pending = new Map<number, Pending>();
  const waiting = new Set<Waiting>();
  const eventListeners = new Map<IpcEvent, Set<(payload: unknown) => void>>();
  const transportListeners = new Set<(state: TransportState) => void>();

  const setTransport = (next: TransportState) => {
    transport = next;
    for (const listener of transportListeners) listener(next);
  };

  const rejectAll = (error: IpcError, includeWaiting: boolean) => {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
    if (includeWaiting) {
      for (const call of waiting) call.reject(error);
      waiting.clear();
    }
  };

  const send = (frame: ClientFrame) => socket?.send(JSON.stringify(frame));

  const onWelcome = () => {
    clearTimeout(welcomeTimer);
    welcomed = true;
    attempt = 0;
    setTransport({ kind: 'open' });
    const ready = [...waiting];
    waiting.clear();
    for (const call of ready) call.send();
  };

  const onResult = (id: number, result: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }) => {
    const call = pending.get(id);
    if (!call) return;
    pending.delete(id);
    if (!result.ok) {
      call.reject(new IpcError(result.error.code, result.error.message));
      return;
    }
    // Checked against the channel's contract by the core's dispatch before it left (dispatch.ts), the
    // barrier that keeps anything else from reaching the renderer at all; as in Electron, where the
    // preload passes answers on as they are. A second check here doubled the cost of large answers.
    call.resolve(result.value);
  };

  const onEvent = (event: string, payload: unknown) => {
    if (!isIpcEvent(event)) return;
    const parsed = ipcEvents[event].safeParse(payload);
    if (!parsed.success) {
      console.warn(`attest bridge: dropped a ${event} event outside the contract`);
      return;
    }
    for (const listener of eventListeners.get(event) ?? []) listener(parsed.data);
  };

  const onMessage = (data: unknown) => {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      console.warn('attest bridge: dropped a frame that is not JSON');
      return;
    }
    const frame = ServerFrameSchema.safeParse(json);
    if (!frame.success) {
      console.warn('attest bridge: dropped a frame outside the wire protocol');
      return;
    }
    const value = frame.data;
    if (value.type === 'welcome') onWelcome();
    else if (!welcomed) return;
    else if (value.type === 'result') onResult(value.id, value.result);
    else onEvent(value.event, value.payload);
  };

  const scheduleReconnect = () => {
    const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
    const delay = Math.round(ceiling * (0.5 + random() * 0.5));
    attempt += 1;
    setTransport({ kind: 'reconnecting', attempt, retryAt: Date.now() + delay });
    reconnectTimer = setTimeout(connect, delay);
  };

  const onClose = (code: number) => {
    clearTimeout(welcomeTimer);
    socket = null;
    welcomed = false;
    if (closedForGood) return;
    if (code === BRIDGE_CLOSE.badSecret || code === BRIDGE_CLOSE.badOrigin) {
      closedForGood = true;
      setTransport({ kind: 'rejected', reason: code === BRIDGE_CLOSE.badSecret ? 'bad_secret' : 'bad_origin' });
      rejectAll(notAuthorised('The console core refused this page. Open the address printed by the current launch.'), true);
      return;
    }
    // The core may or may not have run an in-flight call, so it is rejected rather than resent.
    rejectAll(linkDown('The link to the console core dropped before it answered. Try again.'), false);
    scheduleReconnect();
  };

  function connect() {
    clearTimeout(reconnectTimer);
    if (closedForGood) return;
    let next: BridgeSocket;
    try {
      next = new WebSocket(url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = next;
    next.addEventListener('open', () => {
      send({ type: 'hello', secret });
      welcomeTimer = setTimeout(() => next.close(), welcomeTimeoutMs);
    });
    next.addEventListener('message', (event) => {
      if (socket === next) onMessage(event.data);
    });
    next.addEventListener('close', (event) => {
      if (socket === next) onClose(event.code);
    });
  }

  const invoke = <C extends IpcChannel>(channel: C, input: IpcInput<C>): Promise<IpcOutput<C>> =>
    new Promise<IpcOutput<C>>((resolve, reject) => {
      if (closedForGood) {
        reject(
          transport.kind === 'rejected'
            ? notAuthorised('The console core refused this page. Open the address printed by the current launch.')
            : linkDown('The console bridge is closed.'),
        );
        return;
      }
      const dispatch = () => {
        const id = nextId++;
        pending.set(id, { channel, resolve: (value) => resolve(value as IpcOutput<C>), reject });
        try {
          send({ type: 'invoke', id, channel, input });
        } catch {
          pending.delete(id);
          reject(linkDown('Could not reach the console core. Try again.'));
        }
      };
      if (welcomed && socket?.readyState === OPEN) {
        dispatch();
        return;
      }
      const call: Waiting = {
        send: () => {
          clearTimeout(timer);
          dispatch();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiting.delete(call);
        reject(linkDown('No link to the console core yet; it keeps reconnecting. Try again in a moment.'));
      }, linkWaitMs);
      waiting.add(call);
    });

  const subscribe = <E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void) => {
    const listeners = eventListeners.get(event) ?? new Set();
    eventListeners.set(event, listeners);
    const untyped = listener as (payload: unknown) => void;
    listeners.add(untyped);
    return () => {
      listeners.delete(untyped);
    };
  };

  connect();

  return {
    invoke,
    subscribe,
    get transport() {
      return transport;
    },
    onTransportChange(listener) {
      transportListeners.add(listener);
      return () => {
        transportListeners.delete(listener);
      };
    },
    reconnectNow() {
      if (transport.kind !== 'reconnecting') return;
      attempt = 0;
      connect();
    },
    close() {
      closedForGood = true;
      clearTimeout(reconnectTimer);
      clearTimeout(welcomeTimer);
      rejectAll(linkDown('The console bridge is closed.'), true);
      socket?.close();
      socket = null;
    },
  };
};
