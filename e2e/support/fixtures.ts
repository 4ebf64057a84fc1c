import { test as base } from '@playwright/test';
import { startConsole, startDemoService, type RunningService } from './processes';

export const WRONG_FINGERPRINT = 'ab'.repeat(32);

interface Fixtures {
  /** The console page, opened through its per-launch bridge link. */
  openConsole: (opts?: { fingerprint?: string }) => Promise<void>;
}

export const test = base.extend<Fixtures, { service: RunningService }>({
  service: [
    async ({}, use) => {
      const service = await startDemoService();
      await use(service);
      await service.stop();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  openConsole: async ({ page, service }, use) => {
    const started: Array<{ stop(): Promise<void> }> = [];
    await use(async (opts) => {
      const consoleProcess = await startConsole({
        serviceUrl: service.info.url,
        fingerprint: opts?.fingerprint ?? service.info.fingerprint,
        token: service.token,
      });
      started.push(consoleProcess);
      await page.goto(consoleProcess.info.url);
    });
    for (const c of started) await c.stop();
  },
});

export { expect } from '@playwright/test';
