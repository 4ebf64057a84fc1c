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
