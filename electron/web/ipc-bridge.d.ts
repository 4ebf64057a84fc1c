import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { ConsoleCore } from '../core/console-core';
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
export declare function serveIpcBridge(ws: WebSocket, req: IncomingMessage, options: IpcBridgeOptions): void;
