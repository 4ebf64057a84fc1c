import type { IncomingMessage, ServerResponse } from 'node:http';
export interface RendererServerOptions {
    rendererDir: string;
    /** host:port the page is served under; other Host headers are refused (DNS rebinding). */
    expectedHost: () => string;
    headers: () => Record<string, string>;
}
/** Serves the built renderer read-only, with the security headers on every response. */
export declare function createRendererRequestHandler(options: RendererServerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
