import type { TenantList } from '../shared/api/endpoints';
import { expect, test, WRONG_FINGERPRINT } from './support/fixtures';
import { getJson } from './support/service-api';

test('a service whose key does not match the pin shows the certificate problem state', async ({ page, service, openConsole }) => {
  await openConsole({ fingerprint: WRONG_FINGERPRINT });

  const indicator = page.getByTestId('connection-indicator');
  await expect(indicator).toHaveAttribute('data-state', 'certificate_problem');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(/certificate/i);
  await expect(alert).toContainText(WRONG_FINGERPRINT);
  await expect(alert).toContainText(service.info.fingerprint);

  // Nothing from the unpinned service reaches the page.
  const { items } = await getJson<TenantList>(service.info.url, '/v1/tenants', service.info.fingerprint, service.token);
  for (const tenant of items) await expect(page.getByText(tenant.name)).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/certificate-problem.png' });
});
