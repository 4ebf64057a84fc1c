import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeytarVault } from './keytar-vault';

const run = promisify(execFile);
const serviceName = `attest-test-${process.pid}-${Date.now()}`;

describe('keytar vault (real Secret Service)', () => {
  const vault = createKeytarVault({ service: serviceName });
  afterAll(async () => {
    await vault.delete('refresh-token');
  });

  it('stores, reads, replaces and deletes a secret', async () => {
    expect(await vault.get('refresh-token')).toBeNull();
    await vault.set('refresh-token', 'first-secret');
    expect(await vault.get('refresh-token')).toBe('first-secret');
    await vault.set('refresh-token', 'second-secret');
    expect(await vault.get('refresh-token')).toBe('second-secret');
    expect(await vault.delete('refresh-token')).toBe(true);
    expect(await vault.get('refresh-token')).toBeNull();
    expect(await vault.delete('refresh-token')).toBe(false);
  });

  it('keeps entries of different keychain service names apart', async () => {
    await vault.set('refresh-token', 'mine');
    const other = createKeytarVault({ service: `${serviceName}-other` });
    expect(await other.get('refresh-token')).toBeNull();
    expect(await vault.get('refresh-token')).toBe('mine');
  });

  it('takes the service name from ATTEST_KEYCHAIN_SERVICE', async () => {
    const previous = process.env.ATTEST_KEYCHAIN_SERVICE;
    process.env.ATTEST_KEYCHAIN_SERVICE = serviceName;
    try {
      await vault.set('refresh-token', 'via-env');
      expect(await createKeytarVault().get('refresh-token')).toBe('via-env');
    } finally {
      if (previous === undefined) delete process.env.ATTEST_KEYCHAIN_SERVICE;
      else process.env.ATTEST_KEYCHAIN_SERVICE = previous;
    }
  });

  it('refuses to store an empty secret', async () => {
    await expect(vault.set('refresh-token', '')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

interface ChildOutcome {
  code?: string;
  message?: string;
  isCoreError?: boolean;
}

/** Runs the vault in a child process whose environment has no reachable Secret Service. */
async function vaultWithoutKeychain(busAddress: string | undefined): Promise<{ outcomes: ChildOutcome[]; files: string[] }> {
  const home = mkdtempSync(join(tmpdir(), 'attest-vault-nokeychain-'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home };
  if (busAddress !== undefined) env.DBUS_SESSION_BUS_ADDRESS = busAddress;
  const script = `
    import { createKeytarVault } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'keytar-vault.ts')).href)};
    import { CoreError } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, '..', 'core-error.ts')).href)};
    const vault = createKeytarVault({ service: 'attest-test-unavailable' });
    const outcomes = [];
    for (const attempt of [() => vault.set('refresh-token', 's3cret'), () => vault.get('refresh-token'), () => vault.delete('refresh-token')]) {
      try { await attempt(); outcomes.push({}); }
      catch (e) { outcomes.push({ code: e.code, message: e.message, isCoreError: e instanceof CoreError }); }
    }
    process.stdout.write(JSON.stringify(outcomes));
  `;
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, timeout: 20_000 });
    // GLib may create empty cache folders; what matters is that no file holds anything.
    const files = readdirSync(home, { recursive: true })
      .map((entry) => join(home, String(entry)))
      .filter((path) => statSync(path).isFile());
    return { outcomes: JSON.parse(stdout) as ChildOutcome[], files };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe('keytar vault without a Secret Service', () => {
  const expectUnavailable = (outcome: ChildOutcome | undefined, cause: string): void => {
    expect(outcome).toMatchObject({ code: 'keychain_unavailable', isCoreError: true });
    expect(outcome?.message).toBe(
      `no OS keychain available: ${cause}. Start and unlock a Secret Service (for example gnome-keyring) and try again.`,
    );
  };

  it('fails with keychain_unavailable when there is no session bus and no display', async () => {
    const { outcomes, files } = await vaultWithoutKeychain(undefined);
    expect(outcomes).toHaveLength(3);
    for (const outcome of outcomes) expectUnavailable(outcome, 'Cannot autolaunch D-Bus without X11 $DISPLAY');
    expect(files, 'nothing may be written to disk instead').toEqual([]);
  });

  it('fails with keychain_unavailable when the session bus address leads nowhere', async () => {
    const { outcomes, files } = await vaultWithoutKeychain('unix:path=/nonexistent/attest-bus');
    for (const outcome of outcomes) expectUnavailable(outcome, 'Could not connect: No such file or directory');
    expect(files).toEqual([]);
  });
});
