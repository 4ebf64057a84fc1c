import type { TenantList } from '../shared/api/endpoints';
import { expect, test } from './support/fixtures';
import { getJson } from './support/service-api';

test('the Tenants view lists the seeded tenants from the real service', async ({ page, service, openConsole, signIn }) => {
  const { items } = await getJson<TenantList>(service.info.url, '/v1/tenants', service.info.fingerprint, service.token);
  expect(items.length).toBeGreaterThanOrEqual(3);
  expect(new Set(items.map((t) => t.region))).toEqual(new Set(['eu', 'us']));

  await openConsole();
  await signIn(page);

  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'online');
  for (const tenant of items) {
    // Names are text, not patterns: another spec on this shared service names a tenant =HYPERLINK(…).
    await expect(page.getByRole('row', { name: new RegExp(tenant.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })).toBeVisible();
  }
  // The per-launch secret does not stay in the address bar.
  expect(new URL(page.url()).hash).not.toContain('bridge=');
  await page.screenshot({ path: 'test-results/screenshots/tenants.png' });
});
