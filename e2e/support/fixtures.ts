import { test as base, type Page } from '@playwright/test';
import {
  newConsoleProfile,
  removeConsoleProfile,
  startConsole,
  startDemoService,
  startRestartableDemoService,
  type ConsoleProfile,
  type RestartableService,
  type DemoOfficer,
  type Running,
  type ConsoleReady,
  type RunningService,
} from './processes';
import { servicePerFile, type ServicePerFile } from './service-per-file';
import { freshCode } from './totp';

export const WRONG_FINGERPRINT = 'ab'.repeat(32);

export interface ConsoleHandle {
  readonly profile: ConsoleProfile;
  /** Stops this console process (the keychain entry and settings stay, for a restart). */
  stop(): Promise<void>;
}

interface Fixtures {
  /** The demo service of this spec file, shared by its tests only (see servicePerFile). */
  service: RunningService;
  /** Starts a console process and opens its page through the per-launch bridge link. */
  openConsole: (opts?: { fingerprint?: string; profile?: ConsoleProfile }) => Promise<ConsoleHandle>;
  /** Signs the demo officer in on the sign-in screen: password, then a fresh authenticator code. */
  signIn: (page: Page) => Promise<void>;
}

export const test = base.extend<Fixtures, { servicePerFile: ServicePerFile }>({
  servicePerFile: [
    async ({}, use) => {
      const services = servicePerFile(startDemoService);
      await use(services);
      await services.stop();
    },
    { scope: 'worker' },
  ],
  // Its own timeout: the first test of a file waits for its service to start (a copy of the seeded data; the first also seeds).
  service: [async ({ servicePerFile: services }, use, testInfo) => use(await services.of(testInfo.file)), { timeout: 600_000 }],
  openConsole: async ({ page, service }, use) => {
    const started: Running<ConsoleReady>[] = [];
    const profiles = new Set<ConsoleProfile>();
    await use(async (opts) => {
      const profile = opts?.profile ?? newConsoleProfile();
      profiles.add(profile);
      const consoleProcess = await startConsole({
        serviceUrl: service.info.url,
        fingerprint: opts?.fingerprint ?? service.info.fingerprint,
        profile,
      });
      started.push(consoleProcess);
      await page.goto(consoleProcess.info.url);
      return { profile, stop: () => consoleProcess.stop() };
    });
    for (const c of started) await c.stop();
    for (const p of profiles) removeConsoleProfile(p);
  },
  signIn: async ({ service }, use) => {
    await use((page) => signInAs(page, service.officer));
  },
});

export async function signInAs(page: Page, officer: DemoOfficer): Promise<void> {
  await page.getByTestId('sign-in-email').fill(officer.email);
  await page.getByTestId('sign-in-password').fill(officer.password);
  await page.getByTestId('sign-in-password').press('Enter');
  const code = page.getByTestId('mfa-code');
  await code.waitFor();
  await code.fill(await freshCode(officer.totpSecret));
  await code.press('Enter');
  await page.getByTestId('app-shell').waitFor();
}

/** What a spec that takes the service away gets: its own demo service, a console on it, the console's profile. */
export interface OwnServiceAndConsole {
  service: RestartableService;
  consoleProcess: Running<ConsoleReady>;
  profile: ConsoleProfile;
}

/**
 * Runs `work` with a demo service of its own (so pausing or restarting it
 * disturbs no other spec) and a console on it, open in `page` and signed in as
 * the demo officer; stops both and removes the profile afterwards.
 */
export async function withOwnServiceAndConsole(page: Page, work: (ctx: OwnServiceAndConsole) => Promise<void>): Promise<void> {
  const service = await startRestartableDemoService();
  const profile = newConsoleProfile();
  try {
    const consoleProcess = await startConsole({ serviceUrl: service.info.url, fingerprint: service.info.fingerprint, profile });
    try {
      await page.goto(consoleProcess.info.url);
      await signInAs(page, service.officer);
      await work({ service, consoleProcess, profile });
    } finally {
      await consoleProcess.stop();
    }
  } finally {
    await service.stop();
    removeConsoleProfile(profile);
  }
}

export { expect } from '@playwright/test';
