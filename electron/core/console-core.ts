import { ipcEvents, type IpcEvent, type IpcEventPayload } from '../../shared/ipc/contract';
import { CoreError } from './core-error';
import { createServiceClient } from './client/service-client';
import { createConnectionMonitor } from './connection/connection-monitor';
import { createDispatch, type Dispatch, type UnexpectedErrorReporter } from './ipc/dispatch';
import { createHandlers } from './ipc/handlers';
import type { Vault } from './vault/vault';

export type CoreEventListener = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void;

export interface ConsoleCore {
  /** Answers one renderer call; never throws, never returns anything outside the contract. */
  dispatch: Dispatch;
  /** Contract events (connection.changed, …) for the renderer. */
  subscribe(listener: CoreEventListener): () => void;
  /** Validates and stores an operator token in the vault; the re-probe that follows reports through connection.changed. */
  storeOperatorToken(token: string): Promise<void>;
  close(): Promise<void>;
}

export interface ConsoleCoreOptions {
  serviceUrl: string;
  /** SPKI SHA-256 pin of the service's certificate. */
  fingerprint: string;
  vault: Vault;
  mode: 'electron' | 'browser';
  version?: string;
  probeIntervalMs?: number;
  requestTimeoutMs?: number;
  /** Receives exceptions the renderer only sees as internal_error; defaults to stderr. */
  reportUnexpected?: UnexpectedErrorReporter;
}

const MAX_TOKEN_LENGTH = 4096;

const reportToStderr: UnexpectedErrorReporter = (error, context) => {
  console.error(`attest console core: unexpected error in ${context}:`, error);
};

export function createConsoleCore(options: ConsoleCoreOptions): ConsoleCore {
  const client = createServiceClient({
    serviceUrl: options.serviceUrl,
    fingerprint: options.fingerprint,
    vault: options.vault,
    timeoutMs: options.requestTimeoutMs,
  });
  const monitor = createConnectionMonitor({ client, intervalMs: options.probeIntervalMs });
  const reportUnexpected = options.reportUnexpected ?? reportToStderr;
  const dispatch = createDispatch(
    createHandlers({
      client,
      monitor,
      app: { version: options.version ?? '0.0.0', mode: options.mode, platform: process.platform },
    }),
    reportUnexpected,
  );

  const listeners = new Set<CoreEventListener>();
  const emit = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>): void => {
    if (!ipcEvents[event].safeParse(payload).success) {
      reportUnexpected(new Error(`${event} payload outside the contract`), event);
      return;
    }
    for (const listener of listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        reportUnexpected(error, `${event} listener`);
      }
    }
  };
  const unsubscribeMonitor = monitor.subscribe((status) => emit('connection.changed', status));
  void monitor.check();

  return {
    dispatch,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async storeOperatorToken(token) {
      const trimmed = token.trim();
      if (trimmed.length === 0) throw new CoreError('invalid_input', 'The operator token is empty.');
      if (trimmed.length > MAX_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(trimmed)) {
        throw new CoreError('invalid_input', 'That does not look like an operator token: expected one line of printable characters without spaces.');
      }
      await options.vault.set('operator-token', trimmed);
      void monitor.check();
    },
    async close() {
      unsubscribeMonitor();
      monitor.close();
      listeners.clear();
      await client.close();
    },
  };
}
