import type { SyncStatus } from '../../../shared/ipc/incidents';
import { ServiceError } from '../client/service-error';
import { CoreError } from '../core-error';

export interface SyncQueueOptions {
  /** After close the files are gone: a sync asked for (or queued) then does nothing but report. */
  closed(): boolean;
  /** Tells the listeners the status as it is now (and returns it). */
  notify(): Promise<SyncStatus>;
  /** A sync ran to its end. */
  succeeded(): void;
  /** A sync stopped on a problem the user can see (the session, the network, the files). */
  failed(error: CoreError | ServiceError): void;
  /** A sync ended either way, before the final notify (its progress is over). */
  ended(): void;
}

export interface SyncQueue {
  /** One sync at a time; asked during one, it runs again after it, so it sees every edit saved before the ask. */
  run(work: () => Promise<void>): Promise<SyncStatus>;
  readonly running: boolean;
  /** Waits for the running and the queued sync to end (for close). */
  drain(): Promise<void>;
}

export function createSyncQueue(options: SyncQueueOptions): SyncQueue {
  let syncing: Promise<SyncStatus> | null = null;
  let queued: Promise<SyncStatus> | null = null;
  const run = (work: () => Promise<void>): Promise<SyncStatus> => {
    if (options.closed()) return options.notify();
    if (syncing !== null) {
      queued ??= syncing.then(() => {
        queued = null;
        return run(work);
      });
      return queued;
    }
    syncing = (async () => {
      void options.notify();
      try {
        await work();
        options.succeeded();
      } catch (error) {
        // A sync cut short by close() fails on the closed replica; nobody is waiting for it.
        if (options.closed()) return options.notify();
        if (!(error instanceof CoreError || error instanceof ServiceError)) throw error;
        options.failed(error);
      } finally {
        syncing = null;
        options.ended();
      }
      return options.notify();
    })();
    return syncing;
  };
  return {
    run,
    get running() {
      return syncing !== null;
    },
    async drain() {
      await syncing?.catch(() => undefined);
      await queued?.catch(() => undefined);
    },
  };
}
