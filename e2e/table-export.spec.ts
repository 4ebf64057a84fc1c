import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from './support/fixtures';
import { postJson } from './support/service-api';

test('the officer exports the tenants the filter shows as CSV, a hostile name stays text, and a second export is a new file', async ({
  page,
  service,
  openConsole,
  signIn,
}) => {
  test.setTimeout(120_000);
  const hostile = '=HYPERLINK("http://evil.example","Zöller")';
  const created = await postJson(service.info.url, '/v1/tenants', service.info.fingerprint, service.token, {
    name: hostile,
    slug: `csv-drill-${Date.now().toString(36)}`,
    region: 'eu',
    plan: 'team',
    ownerEmail: 'owner@csv-drill.example',
  });
  expect(created.status).toBe(201);

  await openConsole();
  await signIn(page);
  await page.getByTestId('nav-tenants').click();
  await page.getByTestId('tenants-filter').fill('csv-drill');
  await expect(page.getByTestId('tenants-count')).toHaveText(/^1 of \d+$/);
  await page.getByTestId('tenants-export').click();
  await expect(page.getByTestId('tenants-export-saved')).toContainText(/^Saved attest-tenants-filtered-\S+\.csv \(The 1 tenant that matches the filter\) in \//);
  const filtered = (await page.getByTestId('tenants-export-path').getAttribute('data-path')) ?? '';
  expect(filtered).toMatch(/attest-tenants-filtered-\d{4}-\d{2}-\d{2}\.csv$/);
  await page.screenshot({ path: 'test-results/screenshots/tenants-export.png' });
  const text = readFileSync(filtered, 'utf8');
  const [header, row, end] = text.replace(/^\uFEFF/, '').split('\r\n');
  expect(header).toBe('Name,Region,Plan,Status,Members,MFA,Sessions,Incidents,Created,Slug,Tenant ID');
  // The formula is defused (a leading apostrophe) and quoted: a spreadsheet shows it as text.
  expect(row?.startsWith(`"'=HYPERLINK(""http://evil.example"",""Zöller"")",EU,Team,Active,`)).toBe(true);
  expect(end).toBe('');

  await page.getByTestId('tenants-filter').fill('');
  const total = Number(await page.getByTestId('tenants-count').textContent());
  await page.getByTestId('tenants-export').click();
  await expect(page.getByTestId('tenants-export-saved')).toContainText(`(All ${total} tenants) in`);
  const all = (await page.getByTestId('tenants-export-path').getAttribute('data-path')) ?? '';
  expect(all).not.toBe(filtered);
  expect(readFileSync(all, 'utf8').trimEnd().split('\r\n')).toHaveLength(total + 1);
  expect(existsSync(filtered)).toBe(true);
});
