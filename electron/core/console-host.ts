import { IpcError, isIpcChannel, type IpcEvent, type IpcEventPayload, type IpcResult } from '../../shared/ipc/contract';
import type { PinnedService, ServiceChoice, ServiceSetup } from '../../shared/ipc/service-connection';
import { isServiceConnectionChannel } from '../../shared/ipc/service-connection';
import { checkServicePin } from './config/check-service';
import { readConnectionChoice, readConnectionFileAt } from './config/connection-choice';
import { type ConsoleConfig } from './config/console-config';
import { sameService, saveServiceSettings, storageFor } from './config/service-storage';
import { exportsDirChooser } from './audit/audit-console';
import { createConsoleCore, type ConsoleCore, type ConsoleCoreOptions, type CoreEventListener } from './console-core';
import { CoreError } from './core-error';
import { createDispatch, type Dispatch } from './ipc/dispatch';
import type { ChannelHandlers } from './ipc/handlers';

export interface ConsoleHostOptions extends Omit<ConsoleCoreOptions, 'serviceUrl' | 'fingerprint' | 'dataDir'> {
  /** Where the settings (console.json) and each service's data live. */
  configDir: string;
  /** This launch's settings (resolveConsoleSettings); null opens the Connect screen. */
  settings: ConsoleConfig | null;
  /** Electron: an open-file dialog in the main process; null when the person cancelled. */
  chooseConnectionFile?: () => Promise<string | null>;
  /** How long the pin check waits for the service (default 10 s). */
  checkTimeoutMs?: number;
}

const pinned = (config: Pick<ConsoleConfig, 'serviceUrl' | 'fingerprint' | 'label' | 'region'>): PinnedService => ({
  serviceUrl: config.serviceUrl,
  host: new URL(config.serviceUrl).host,
  fingerprint: config.fingerprint,
  ...(config.label !== undefined ? { label: config.label } : {}),
  ...(config.region !== undefined ? { region: config.region } : {}),
});

/**
 * The console as the renderer sees it: the Connect screen's channels, answered with no
 * service configured, and a console core for the service chosen. Choosing another service
 * closes that core and starts one with the other service's own storage.
 */
export function createConsoleHost(options: ConsoleHostOptions): ConsoleCore {
  const { configDir, settings, chooseConnectionFile, checkTimeoutMs, ...coreOptions } = options;
  const listeners = new Set<CoreEventListener>();
  const app = { version: options.version ?? '0.0.0', mode: options.mode, platform: process.platform };
  const userAgent = `Attest-Console/${app.version} (${app.mode}; ${process.platform})`;
  let current: { config: ConsoleConfig; core: ConsoleCore; unsubscribe: () => void } | null = null;
  let closed = false;

  const emit = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>): void => {
    for (const listener of listeners) listener(event, payload);
  };
  const start = (config: ConsoleConfig): void => {
    // Exports are the person's files, not a service's storage: without a save dialog they land in <config>/exports whichever service made them.
    const chooseExportPath = coreOptions.chooseExportPath ?? exportsDirChooser(configDir);
    const core = createConsoleCore({ ...coreOptions, ...storageFor(configDir, config, options.vault), chooseExportPath, serviceUrl: config.serviceUrl, fingerprint: config.fingerprint });
    current = { config, core, unsubscribe: core.subscribe((event, payload) => emit(event, payload)) };
  };
  const setup = (): ServiceSetup => (current ? { configured: true, service: pinned(current.config) } : { configured: false });
  const check = (choice: ServiceChoice): Promise<PinnedService> =>
    checkServicePin(readConnectionChoice(choice), { timeoutMs: checkTimeoutMs ?? 10_000, userAgent }).then(pinned);

  const pendingEdits = async (core: ConsoleCore): Promise<number> => {
    const status = await core.dispatch('incidents.syncStatus', {});
    return status.ok ? (status.value as { pendingEdits: number }).pendingEdits : 0;
  };

  // One switch at a time: two parallel connects must not both start a core.
  let switching: Promise<unknown> = Promise.resolve();
  const connect = async (choice: ServiceChoice, leaveUnsynced: boolean): Promise<ServiceSetup> => {
    const target = readConnectionChoice(choice);
    await checkServicePin(target, { timeoutMs: checkTimeoutMs ?? 10_000, userAgent });
    const run = switching.then(async () => {
      if (closed) throw new CoreError('not_available', 'The console is closing.');
      const before = current;
      if (before && sameService(before.config, target)) return setup();
      const pending = before ? await pendingEdits(before.core) : 0;
      if (before && pending > 0 && !leaveUnsynced) {
        const host = new URL(before.config.serviceUrl).host;
        throw new CoreError(
          'unsynced_edits',
          `${pending} offline edit${pending === 1 ? ' is' : 's are'} not yet synced with ${host}. Wait until they are synced, or connect anyway: ` +
            `they stay in ${host}'s offline copy on this computer and are sent when you connect to ${host} again. Nothing was changed.`,
        );
      }
      const config = await saveServiceSettings(configDir, target);
      if (before) {
        before.unsubscribe();
        await before.core.close();
        current = null;
      }
      start(config);
      const now = setup();
      emit('service.changed', now);
      return now;
    });
    switching = run.catch(() => undefined);
    return run;
  };

  const hostDispatch: Dispatch = createDispatch(
    {
      'app.info': async () => app,
      'service.current': async () => setup(),
      'service.check': check,
      'service.openFile': async () => {
        if (!chooseConnectionFile) {
          throw new CoreError('not_available', 'This console cannot open a file dialog here: choose the file in the page, or paste the link instead.');
        }
        const path = await chooseConnectionFile();
        if (path === null) return null;
        return check({ text: await readConnectionFileAt(path) });
      },
      'service.connect': ({ choice, leaveUnsynced }) => connect(choice, leaveUnsynced),
    } satisfies ChannelHandlers,
    options.reportUnexpected ?? ((error, context) => console.error(`attest console host: unexpected error in ${context}:`, error)),
  );

  if (settings) start(settings);

  return {
    async dispatch(channel, input): Promise<IpcResult<unknown>> {
      if (channel === 'app.info' || isServiceConnectionChannel(channel)) return hostDispatch(channel, input);
      if (current) return current.core.dispatch(channel, input);
      if (!isIpcChannel(channel)) return hostDispatch(channel, input);
      const error = new IpcError('not_connected', 'No service is configured yet: connect to one on the Connect screen first.');
      return { ok: false, error: { code: error.code, message: error.message } };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await switching;
      const last = current;
      current = null;
      last?.unsubscribe();
      await last?.core.close();
      listeners.clear();
    },
  };
}
