import type { RunningService } from './processes';

/**
 * One service per spec file: a spec sees only what it and the seed wrote, never
 * the sessions, tenants or approvals another file left behind. A worker runs its
 * files one after another, so when a test of a new file asks, the previous
 * file's service is stopped and a new one started.
 */
export interface ServicePerFile {
  of(file: string): Promise<RunningService>;
  stop(): Promise<void>;
}

export const servicePerFile = (start: () => Promise<RunningService>): ServicePerFile => {
  let current: { file: string; service: Promise<RunningService> } | null = null;
  const stop = async (): Promise<void> => {
    const previous = current?.service;
    current = null;
    // One that failed to start has nothing to stop; its error was the failing test's.
    await (await previous?.catch(() => null))?.stop();
  };
  return {
    async of(file) {
      if (current?.file !== file) {
        await stop();
        current = { file, service: start() };
      }
      return current.service;
    },
    stop,
  };
};
