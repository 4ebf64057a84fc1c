import { z } from 'zod';
import { TenantIdSchema, TenantSchema } from '../tenants/tenant';

/**
 * The console's IPC contract: every channel the renderer may invoke and every
 * event it may subscribe to. The main process validates each input with these
 * schemas before a handler runs, and each output before it leaves, so nothing
 * outside the contract (a token, a key) can reach the renderer.
 */
const NoInput = z.object({}).strict();

export const ConnectionStateSchema = z.enum(['online', 'offline', 'certificate_problem', 'signed_out']);
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;

export const ConnectionStatusSchema = z
  .object({
    state: ConnectionStateSchema,
    serviceUrl: z.string(),
    checkedAt: z.iso.datetime({ offset: true }),
    /** What the user should know or do next, for any state but online. */
    message: z.string().optional(),
    /** Pinned and presented SPKI SHA-256 fingerprints, for certificate_problem. */
    expectedFingerprint: z.string().optional(),
    presentedFingerprint: z.string().optional(),
  })
  .strict();
export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>;

export const AppInfoSchema = z
  .object({
    version: z.string(),
    mode: z.enum(['electron', 'browser']),
    platform: z.string(),
  })
  .strict();
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const ipcChannels = {
  'app.info': { input: NoInput, output: AppInfoSchema },
  'connection.status': { input: NoInput, output: ConnectionStatusSchema },
  /** Probe the service now (instead of waiting for the next periodic check). */
  'connection.retry': { input: NoInput, output: ConnectionStatusSchema },
  'tenants.list': { input: NoInput, output: z.array(TenantSchema) },
  'tenants.get': { input: z.object({ id: TenantIdSchema }).strict(), output: TenantSchema },
} as const;

export const ipcEvents = {
  'connection.changed': ConnectionStatusSchema,
} as const;

export type IpcChannels = typeof ipcChannels;
export type IpcChannel = keyof IpcChannels;
export type IpcInput<C extends IpcChannel> = z.input<IpcChannels[C]['input']>;
export type IpcOutput<C extends IpcChannel> = z.infer<IpcChannels[C]['output']>;
export type IpcEvents = typeof ipcEvents;
export type IpcEvent = keyof IpcEvents;
export type IpcEventPayload<E extends IpcEvent> = z.infer<IpcEvents[E]>;

export const isIpcChannel = (name: unknown): name is IpcChannel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(ipcChannels, name);
export const isIpcEvent = (name: unknown): name is IpcEvent =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(ipcEvents, name);

export const IpcErrorSchema = z.object({ code: z.string(), message: z.string() }).strict();
export type IpcErrorShape = z.infer<typeof IpcErrorSchema>;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcErrorShape };

/** An error surfaced to the renderer: a stable code and a message that says what to do next. */
export class IpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
}

/**
 * What the renderer sees as `window.attest`, provided by the Electron preload or,
 * in browser mode, by the WebSocket bridge.
 */
export interface AttestBridge {
  invoke<C extends IpcChannel>(channel: C, input: IpcInput<C>): Promise<IpcOutput<C>>;
  subscribe<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
}
