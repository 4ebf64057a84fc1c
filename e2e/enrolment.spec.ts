import { expect, test } from './support/fixtures';

/**
 * The enrolment screens against a scripted console core (Playwright answers the
 * page's bridge WebSocket): the demo users are all enrolled, and this checks
 * what the page shows, not the service.
 */
test('enrolment shows the QR code and the key, then the recovery codes once with a saved-them confirmation', async ({ page }) => {
  const codes = Array.from({ length: 10 }, (_, i) => `k7m2p-${String(40_000 + i * 731)}`);
  const me = {
    user: { id: '0b7e6c4a-1d2e-4f3a-8b5c-6d7e8f9a0b1c', email: 'new.hire@acme.example', displayName: 'New Hire' },
    platformRoles: [],
    memberships: [{ tenantId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', tenantName: 'Acme Analytics', role: 'viewer' }],
    mfa: { enrolled: true, recoveryCodesRemaining: 10 },
    session: {
      id: '2b7e6c4a-1d2e-4f3a-8b5c-6d7e8f9a0b1c',
      createdAt: new Date().toISOString(),
      idleExpiresAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      absoluteExpiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      stepUpUntil: null,
    },
  };
  const enrol = { step: 'enrol', email: me.user.email, expiresAt: new Date(Date.now() + 300_000).toISOString() };
  const answers: Record<string, unknown> = {
    'connection.status': { state: 'online', serviceUrl: 'https://127.0.0.1:8443', checkedAt: new Date().toISOString() },
    'auth.state': enrol,
    'auth.enrolStart': { otpauthUri: 'otpauth://totp/Attest:new.hire%40acme.example?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Attest', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
    'auth.enrolComplete': { state: { step: 'signed_in', me }, recoveryCodes: codes },
    'tenants.list': [],
  };
  await page.routeWebSocket(/\/ipc$/, (ws) => {
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { type: string; id?: number; channel?: string };
      if (frame.type === 'hello') return ws.send(JSON.stringify({ type: 'welcome' }));
      if (frame.type === 'invoke' && frame.channel && frame.channel in answers) {
        ws.send(JSON.stringify({ type: 'result', id: frame.id, result: { ok: true, value: answers[frame.channel] } }));
      }
    });
  });
  // Any console process serves the page; the bridge is scripted above.
  const { startConsole, newConsoleProfile, removeConsoleProfile } = await import('./support/processes');
  const profile = newConsoleProfile();
  const running = await startConsole({ serviceUrl: 'https://127.0.0.1:9', fingerprint: 'cd'.repeat(32), profile });
  try {
    await page.goto(running.info.url);
    await expect(page.getByTestId('sign-in-screen')).toHaveAttribute('data-step', 'enrol');
    await expect(page.getByTestId('enrol-qr').locator('svg')).toBeVisible();
    await expect(page.getByTestId('enrol-secret')).toHaveText('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    await expect(page.getByTestId('enrol-code')).toBeFocused();
    await page.screenshot({ path: 'test-results/screenshots/enrolment.png' });

    await page.getByTestId('enrol-code').fill('123456');
    await page.getByTestId('enrol-code').press('Enter');
    await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
    await expect(page.getByTestId('recovery-codes-continue')).toBeDisabled();
    await page.screenshot({ path: 'test-results/screenshots/recovery-codes.png' });
    await page.getByText('I have saved these codes somewhere safe').click();
    await page.getByTestId('recovery-codes-continue').click();
    await expect(page.getByTestId('app-shell')).toBeVisible();
    await expect(page.getByTestId('user-menu')).toContainText('New Hire');
  } finally {
    await running.stop();
    removeConsoleProfile(profile);
  }
});
