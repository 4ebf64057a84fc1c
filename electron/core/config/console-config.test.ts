import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConsoleConfig, resolveConfigDir, writeConsoleConfig } from './console-config';
import { resolveConsoleSettings } from './resolve-settings';

const PIN = 'ab'.repeat(32);
const OTHER_PIN = 'cd'.repeat(32);

describe('console config', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'attest-config-')), 'nested', 'attest');
  });
  afterEach(() => rmSync(join(dir, '..', '..'), { recursive: true, force: true }));

  it('resolves the folder from the flag, then ATTEST_CONFIG_DIR, then XDG_CONFIG_HOME, then ~/.config', () => {
    expect(resolveConfigDir('/flag', { ATTEST_CONFIG_DIR: '/env', XDG_CONFIG_HOME: '/xdg' })).toBe('/flag');
    expect(resolveConfigDir(undefined, { ATTEST_CONFIG_DIR: '/env', XDG_CONFIG_HOME: '/xdg' })).toBe('/env');
    expect(resolveConfigDir(undefined, { XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/attest');
    expect(resolveConfigDir(undefined, {})).toBe(join(homedir(), '.config', 'attest'));
    expect(resolveConfigDir(undefined, { XDG_CONFIG_HOME: 'relative' }), 'XDG paths must be absolute').toBe(join(homedir(), '.config', 'attest'));
  });

  it('reads nothing before anything was saved', async () => {
    await expect(readConsoleConfig(dir)).resolves.toBeNull();
  });

  it('writes atomically, privately and canonically, leaving no temp file', async () => {
    await writeConsoleConfig(dir, { serviceUrl: 'https://127.0.0.1:8443', fingerprint: PIN.toUpperCase() });
    await expect(readConsoleConfig(dir)).resolves.toEqual({ serviceUrl: 'https://127.0.0.1:8443', fingerprint: PIN });
    expect(readdirSync(dir)).toEqual(['console.json']);
    expect(statSync(join(dir, 'console.json')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    await writeConsoleConfig(dir, { serviceUrl: 'https://10.0.0.1:8443', fingerprint: OTHER_PIN });
    expect(JSON.parse(readFileSync(join(dir, 'console.json'), 'utf8'))).toEqual({ serviceUrl: 'https://10.0.0.1:8443', fingerprint: OTHER_PIN });
    expect(readdirSync(dir)).toEqual(['console.json']);
  });

  it('refuses to save invalid settings and keeps what was there', async () => {
    await writeConsoleConfig(dir, { serviceUrl: 'https://127.0.0.1:8443', fingerprint: PIN });
    await expect(writeConsoleConfig(dir, { serviceUrl: 'http://127.0.0.1:8443', fingerprint: PIN })).rejects.toThrow(/serviceUrl/);
    await expect(writeConsoleConfig(dir, { serviceUrl: 'https://127.0.0.1:8443', fingerprint: 'xyz' })).rejects.toThrow(/fingerprint/);
    await expect(readConsoleConfig(dir)).resolves.toEqual({ serviceUrl: 'https://127.0.0.1:8443', fingerprint: PIN });
  });

  it('names the file and the field when the saved settings are broken', async () => {
    await writeConsoleConfig(dir, { serviceUrl: 'https://127.0.0.1:8443', fingerprint: PIN });
    writeFileSync(join(dir, 'console.json'), '{"serviceUrl": "https://x", "fingerprint": 5}');
    await expect(readConsoleConfig(dir)).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringMatching(/console\.json: fingerprint/) });
    writeFileSync(join(dir, 'console.json'), '{');
    await expect(readConsoleConfig(dir)).rejects.toThrow(/not valid JSON/);
  });

  describe('settings for a launch', () => {
    it('saves a given fingerprint with its service URL, and uses the saved ones next time', async () => {
      const saved = { serviceUrl: 'https://127.0.0.1:8443', fingerprint: PIN, storage: 'per-service' };
      await expect(resolveConsoleSettings(dir, { serviceUrl: 'https://127.0.0.1:8443', fingerprint: PIN })).resolves.toEqual(saved);
      await expect(resolveConsoleSettings(dir, {})).resolves.toEqual(saved);
      await expect(resolveConsoleSettings(dir, { serviceUrl: 'https://127.0.0.1:8443/' })).resolves.toMatchObject({ fingerprint: PIN });
      await expect(resolveConsoleSettings(dir, { fingerprint: OTHER_PIN })).resolves.toEqual({ ...saved, fingerprint: OTHER_PIN });
    });

    it('keeps an earlier console\'s settings (and so where its data is) for the same service', async () => {
      await writeConsoleConfig(dir, { serviceUrl: 'https://127.0.0.1:8443', fingerprint: PIN });
      await expect(resolveConsoleSettings(dir, { serviceUrl: 'https://127.0.0.1:8443', fingerprint: PIN })).resolves.toEqual({
        serviceUrl: 'https://127.0.0.1:8443',
        fingerprint: PIN,
      });
    });

    it('opens the Connect screen when nothing is saved, and explains a half-given service', async () => {
      await expect(resolveConsoleSettings(dir, {})).resolves.toBeNull();
      await expect(resolveConsoleSettings(dir, { fingerprint: PIN })).rejects.toThrow(/pass --service-url/);
      await expect(resolveConsoleSettings(dir, { serviceUrl: 'https://127.0.0.1:8443' })).rejects.toThrow(/pass --fingerprint too/);
    });

    it('never applies a saved pin to another service', async () => {
      await resolveConsoleSettings(dir, { serviceUrl: 'https://127.0.0.1:8443', fingerprint: PIN });
      await expect(resolveConsoleSettings(dir, { serviceUrl: 'https://127.0.0.1:9999' })).rejects.toThrow(/belongs to https:\/\/127\.0\.0\.1:8443/);
    });
  });
});
