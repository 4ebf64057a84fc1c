import type { ConsoleCore } from '../core/console-core';
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
/** Serves the renderer on 127.0.0.1 and bridges the IPC contract over a WebSocket at /ipc. */
export declare function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode>;
