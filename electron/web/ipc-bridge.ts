import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { BRIDGE_CLOSE, ClientFrameSchema, type ServerFrame } from '../../shared/ipc/wire';
import type { ConsoleCore } from '../core/console-core';
import { bridgeSecretMatches } from './bridge-secret';

export interface IpcBridgeOptions {
  core: Pick<ConsoleCore, 'dispatch' | 'subscribe'>;
  secret: string;
  /** The page's own origin, e.g. http://127.0.0.1:41234. */
  expectedOrigin: () => string;
  helloTimeoutMs: number;
}

/**
 * One WebSocket of the browser-mode bridge: same-origin only, then a `hello` with
 * the per-launch secret, then `invoke` frames answered through core.dispatch and
 * contract events pushed. Any deviation closes the socket without an answer.
 */
export function serveIpcBridge(ws: WebSocket, req: IncomingMessage, options: IpcBridgeOptions): void {
  ws.on('error', () => ws.terminate());
  if (req.headers.origin !== options.expectedOrigin()) {
    ws.close(BRIDGE_CLOSE.badOrigin, 'origin not allowed');
    return;
  }
  let unsubscribe: (() => void) | undefined;
  let helloTimer: NodeJS.Timeout | undefined = setTimeout(() => ws.close(BRIDGE_CLOSE.protocolError, 'hello expected'), options.helloTimeoutMs);
  const send = (frame: ServerFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const refuse = (code: number, reason: string): void => {
    clearTimeout(helloTimer);
    ws.close(code, reason);
  };

  ws.on('close', () => {
    clearTimeout(helloTimer);
    unsubscribe?.();
  });
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (ws.readyState !== ws.OPEN) return;
    let json: unknown;
    try {
      json = isBinary ? undefined : JSON.parse(rawText(data));
    } catch {
      json = undefined;
    }
    const parsed = ClientFrameSchema.safeParse(json);
    if (!parsed.success) return refuse(BRIDGE_CLOSE.protocolError, 'malformed frame');
    const frame = parsed.data;

    if (!unsubscribe) {
      if (frame.type !== 'hello') return refuse(BRIDGE_CLOSE.protocolError, 'hello expected');
      if (!bridgeSecretMatches(options.secret, frame.secret)) return refuse(BRIDGE_CLOSE.badSecret, 'bad secret');
      clearTimeout(helloTimer);
      helloTimer = undefined;
      unsubscribe = options.core.subscribe((event, payload) => send({ type: 'event', event, payload }));
      send({ type: 'welcome' });
      return;
    }
    if (frame.type === 'hello') return refuse(BRIDGE_CLOSE.protocolError, 'already greeted');
    void options.core
      .dispatch(frame.channel, frame.input)
      .catch(() => ({ ok: false as const, error: { code: 'internal_error', message: 'The console failed unexpectedly.' } }))
      .then((result) => send({ type: 'result', id: frame.id, result }));
  });
}

const rawText = (data: RawData): string => {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
};
