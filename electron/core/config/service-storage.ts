import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Vault, VaultAccount } from '../vault/vault';
import { normalizeFingerprint } from '../../../shared/tls/fingerprint';
import { readConsoleConfig, writeConsoleConfig, type ConsoleConfig } from './console-config';

/** Which service (address and pin) data belongs to; a re-keyed service is another one. */
export const serviceTag = (serviceUrl: string, fingerprint: string): string =>
  createHash('sha256').update(`${new URL(serviceUrl).href}\n${normalizeFingerprint(fingerprint)}`).digest('hex').slice(0, 16);

export const sameService = (a: Pick<ConsoleConfig, 'serviceUrl' | 'fingerprint'>, b: Pick<ConsoleConfig, 'serviceUrl' | 'fingerprint'>): boolean =>
  serviceTag(a.serviceUrl, a.fingerprint) === serviceTag(b.serviceUrl, b.fingerprint);

/** A vault whose entries are one service's: the same account names, suffixed with the service's tag. */
export function serviceVault(vault: Vault, tag: string): Vault {
  const scoped = (account: VaultAccount): VaultAccount => `${account}@${tag}` as VaultAccount;
  return {
    get: (account) => vault.get(scoped(account)),
    set: (account, secret) => vault.set(scoped(account), secret),
    delete: (account) => vault.delete(scoped(account)),
  };
}

export interface ServiceStorage {
  /** Offline copies, audit verification state, exports. */
  dataDir: string;
  vault: Vault;
}

/**
 * Where a service's data lives. Per service: nothing of one service (a refresh token, an
 * offline copy, an outbox) is ever read while connected to another. An earlier console's
 * settings keep their data where it was (the config folder, the untagged keychain entries).
 */
export function storageFor(configDir: string, config: ConsoleConfig, vault: Vault): ServiceStorage {
  if (config.storage !== 'per-service') return { dataDir: configDir, vault };
  const tag = serviceTag(config.serviceUrl, config.fingerprint);
  return { dataDir: join(configDir, 'services', tag), vault: serviceVault(vault, tag) };
}

/**
 * Saves the service to connect to. The same service as saved keeps its settings (and so its
 * data); another one gets storage of its own.
 */
export async function saveServiceSettings(dir: string, next: Omit<ConsoleConfig, 'storage'>): Promise<ConsoleConfig> {
  const saved = await readConsoleConfig(dir).catch(() => null);
  if (saved && sameService(saved, next)) return writeConsoleConfig(dir, { ...saved, ...next, storage: saved.storage });
  return writeConsoleConfig(dir, { ...next, storage: 'per-service' });
}
