import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { groupFingerprint } from '../shared/connection/connection-file';
import { seriousViolations as axeSerious } from './support/axe';
import { expect, signInAs, test, WRONG_FINGERPRINT } from './support/fixtures';
import { newConsoleProfile, removeConsoleProfile, runCli, startUnconfiguredConsole, type ConsoleProfile, type ConsoleReady, type Running } from './support/processes';

/** A console started with nothing configured, as a person double-clicking it on a new desktop gets it. */
let profile: ConsoleProfile;
let consoleProcess: Running<ConsoleReady>;
test.beforeEach(async ({ page }) => {
  profile = newConsoleProfile();
  consoleProcess = await startUnconfiguredConsole(profile);
  await page.goto(consoleProcess.info.url);
});
test.afterEach(async () => {
  await consoleProcess.stop();
  removeConsoleProfile(profile);
});

const seriousViolations = (page: Page) => axeSerious(page, { wcagOnly: false });

test('a console without a service shows Connect; the admin’s link is pasted, checked, pinned, and the person signs in', async ({ page, service }) => {
  const screen = page.getByTestId('connect-screen');
  await expect(screen).toBeVisible();
  await expect(page.getByTestId('sign-in-screen')).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: 'test-results/screenshots/connect-light.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/screenshots/connect-dark.png' });
  await page.emulateMedia({ colorScheme: 'light' });

  // What the admin runs and hands out.
  const link = (await runCli(['service/cli/attest-service.ts', 'connection-file', '--data', service.info.dataDir, '--url', service.info.url, '--label', 'Acme EU production', '--link'])).trim();
  await page.getByTestId('connect-link').fill(link);
  await page.getByTestId('connect-link').press('Enter');

  const confirm = page.getByTestId('connect-confirm');
  await expect(confirm).toBeVisible();
  await expect(page.getByTestId('connect-pinned-host')).toHaveText(new URL(service.info.url).host);
  await expect(page.getByTestId('connect-pinned-label')).toHaveText('Acme EU production');
  await expect(page.getByTestId('connect-pinned-fingerprint')).toHaveText(groupFingerprint(service.info.fingerprint));
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: 'test-results/screenshots/connect-confirm.png' });

  await page.getByTestId('connect-submit').click();
  await expect(page.getByTestId('sign-in-screen')).toBeVisible();
  const saved = JSON.parse(readFileSync(join(profile.configDir, 'console.json'), 'utf8')) as Record<string, unknown>;
  expect(saved).toMatchObject({ serviceUrl: service.info.url, fingerprint: service.info.fingerprint, label: 'Acme EU production' });

  await signInAs(page, service.officer);
  await expect(page.getByTestId('app-shell')).toBeVisible();

  // Switching later is in the user menu, and can be called off.
  await page.getByTestId('user-menu').click();
  await expect(page.getByTestId('user-service')).toHaveText('Service: Acme EU production');
  await page.getByTestId('connect-another-service').click();
  await expect(page.getByTestId('connect-current')).toContainText('Connected now to Acme EU production');
  await page.getByTestId('connect-cancel').click();
  await expect(page.getByTestId('app-shell')).toBeVisible();
});

test('a wrong fingerprint is refused with what to do, and nothing is saved', async ({ page, service }) => {
  await page.getByTestId('connect-tab-manual').click();
  await page.getByTestId('connect-url').fill(service.info.url);
  await page.getByTestId('connect-fingerprint').fill(WRONG_FINGERPRINT.toUpperCase().match(/../g)!.join(':'));
  await page.getByTestId('connect-check-manual').click();

  const error = page.getByTestId('connect-error');
  await expect(error).toHaveAttribute('data-code', 'certificate_mismatch');
  await expect(error).toContainText('The key does not match the fingerprint');
  await expect(error).toContainText(`presented ${groupFingerprint(service.info.fingerprint)}, not ${groupFingerprint(WRONG_FINGERPRINT)}`);
  await expect(error).toContainText('Ask your administrator for a new connection file');
  await expect(page.getByTestId('connect-confirm')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/connect-wrong-pin.png' });

  // Plain HTTP is refused before anything is sent.
  await page.getByTestId('connect-url').fill(service.info.url.replace('https:', 'http:'));
  await page.getByTestId('connect-check-manual').click();
  await expect(error).toHaveAttribute('data-code', 'connection_insecure_url');
  await expect(error).toContainText('only connects over HTTPS');

  // A malformed link says so.
  await page.getByTestId('connect-tab-link').click();
  await page.getByTestId('connect-link').fill('attest://connect?v=1&url=https%3A%2F%2Fexample.com');
  await page.getByTestId('connect-check-link').click();
  await expect(error).toHaveAttribute('data-code', 'connection_bad_fingerprint');

  expect(() => readFileSync(join(profile.configDir, 'console.json'), 'utf8')).toThrow(/ENOENT/);
  await expect(page.getByTestId('connect-screen')).toBeVisible();
});

test('a connection file opened in the page is checked the same way; an oversized one is refused before it is read', async ({ page, service }) => {
  const file = await runCli(['service/cli/attest-service.ts', 'connection-file', '--data', service.info.dataDir, '--url', service.info.url, '--region', 'eu']);
  await page.getByTestId('connect-tab-file').click();
  const input = page.getByTestId('connect-file-input');
  await input.setInputFiles({ name: 'acme.attest-connection.json', mimeType: 'application/json', buffer: Buffer.from('x'.repeat(20_000)) });
  await expect(page.getByTestId('connect-error')).toHaveAttribute('data-code', 'connection_too_large');

  await input.setInputFiles({ name: 'acme.attest-connection.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await expect(page.getByTestId('connect-confirm')).toBeVisible();
  await expect(page.getByTestId('connect-pinned-fingerprint')).toHaveText(groupFingerprint(service.info.fingerprint));
  await expect(page.getByTestId('connect-pinned')).toContainText('European Union');
  // Back leaves nothing saved.
  await page.getByTestId('connect-back').click();
  await expect(page.getByTestId('connect-confirm')).toHaveCount(0);
  expect(() => readFileSync(join(profile.configDir, 'console.json'), 'utf8')).toThrow(/ENOENT/);
});
