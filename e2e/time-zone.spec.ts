import { expect, test } from './support/fixtures';

// A desk in India: its local zone (GMT+5:30, no daylight saving) reads differently from UTC in every time.
test.use({ timezoneId: 'Asia/Kolkata' });

test('“Show times in UTC” switches every time shown, tables included, and back; the exact UTC instant stays on hover', async ({ page, openConsole, signIn }) => {
  await openConsole();
  await signIn(page);
  await page.getByTestId('nav-audit').click();
  // The first row's time (the log's first event) is the one read throughout.
  const time = page.getByTestId('audit-table').locator('tbody tr.attest-row').first().locator('time');
  await expect(time).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} GMT\+5:30$/);
  const instant = (await time.getAttribute('datetime')) ?? '';
  const utcHover = `${new Date(instant).toISOString().slice(0, 10)} ${new Date(instant).toISOString().slice(11, 19)} UTC`;
  await expect(time).toHaveAttribute('title', utcHover);

  await page.getByTestId('user-menu').click();
  const utc = page.getByTestId('time-zone-utc');
  await expect(utc).toHaveAttribute('aria-checked', 'false');
  await utc.click();
  await expect(utc).toHaveAttribute('aria-checked', 'true');
  // The same instant, in UTC: the row did not change, only how its time reads.
  await expect(time).toHaveAttribute('datetime', instant);
  await expect(time).toHaveText(utcHover);
  await page.screenshot({ path: 'test-results/screenshots/audit-utc.png' });

  await utc.click();
  await expect(utc).toHaveAttribute('aria-checked', 'false');
  await expect(time).toHaveText(/ GMT\+5:30$/);
  await expect(time).toHaveAttribute('title', utcHover);
});

test('times are typed as they are shown: 24-hour, ISO order, in the zone the console shows, named in the field', async ({ page, openConsole, signIn }) => {
  await openConsole();
  await signIn(page);
  await page.getByTestId('nav-audit').click();
  const filters = page.getByTestId('audit-filters');
  const from = filters.getByLabel('From (inclusive)');
  await expect(from).toHaveAttribute('placeholder', 'YYYY-MM-DD HH:MM');
  await expect(filters.getByTestId('field-zone').first()).toHaveText('GMT+5:30');

  // A 12-hour, month-first time (what the browser's own picker shows in en-US) is refused with what to type.
  await from.fill('01/01/2026, 09:30 PM');
  await page.getByTestId('audit-apply').click();
  await expect(page.getByTestId('audit-filter-problem')).toHaveText('From: type it as YYYY-MM-DD HH:MM, 24-hour (for example 2026-03-09 14:30).');
  await expect(page.getByTestId('audit-count')).toHaveText('Filter not applied');
  await expect(from).toHaveAttribute('aria-invalid', 'true');

  await from.fill('2026-01-01 21:30');
  await page.getByTestId('audit-apply').click();
  await expect(page.getByTestId('audit-filter-problem')).toHaveCount(0);
  await expect(page.getByTestId('audit-count')).toHaveAttribute('title', 'Showing from 2026-01-01 21:30 GMT+5:30');
  await page.screenshot({ path: 'test-results/screenshots/audit-typed-time.png' });

  // Switched to UTC, the same text is read in UTC, and the field says so.
  await page.getByTestId('user-menu').click();
  await page.getByTestId('time-zone-utc').click();
  await page.keyboard.press('Escape');
  await expect(filters.getByTestId('field-zone').first()).toHaveText('UTC');
  await page.getByTestId('audit-apply').click();
  await expect(page.getByTestId('audit-count')).toHaveAttribute('title', 'Showing from 2026-01-01 21:30 UTC');
});
