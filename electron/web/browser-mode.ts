import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { BRIDGE_PATH, BRIDGE_SECRET_PARAM } from '../../shared/ipc/wire';
import type { ConsoleCore } from '../core/console-core';
import { rendererSecurityHeaders } from '../core/renderer-hosting/security-headers';
import { createBridgeSecret } from './bridge-secret';
import { serveIpcBridge } from './ipc-bridge';
import { createRendererRequestHandler } from './renderer-server';

export interface BrowserModeOptions {
  core: Pick<ConsoleCore, 'dispatch' | 'subscribe'>;
  /** The built renderer: index.html and its assets. */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  helloTimeoutMs?: number;
}

export interface BrowserMode {
  /** Page URL with the bridge secret in the fragment, which browsers never send to a server. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_FRAME_BYTES = 1024 * 1024;

/** Serves the renderer on 127.0.0.1 and bridges the IPC contract over a WebSocket at /ipc. */
export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const secret = createBridgeSecret();
  let port = 0;
  const hostHeader = (): string => `${HOST}:${port}`;
  const origin = (): string => `http://${hostHeader()}`;
  const headers = (): Record<string, string> => rendererSecurityHeaders([`ws://${hostHeader()}`]);

  const server = createServer(createRendererRequestHandler({ rendererDir: options.rendererDir, expectedHost: hostHeader, headers }));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== BRIDGE_PATH || req.headers.host !== hostHeader()) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) =>
      serveIpcBridge(ws, req, { core: options.core, secret, expectedOrigin: origin, helloTimeoutMs: options.helloTimeoutMs ?? 10_000 }),
    );
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `${origin()}/#${BRIDGE_SECRET_PARAM}=${secret}`,
    origin: origin(),
    port,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
