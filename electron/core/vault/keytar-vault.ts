import type * as KeytarModule from 'keytar';
import { CoreError, describeCause } from '../core-error';
import type { Vault, VaultAccount } from './vault';

type Keytar = typeof KeytarModule;

export const DEFAULT_KEYCHAIN_SERVICE = 'attest';

export const keychainUnavailable = (cause: unknown): CoreError =>
  new CoreError(
    'keychain_unavailable',
    `no OS keychain available: ${describeCause(cause)}. Start and unlock a Secret Service (for example gnome-keyring) and try again.`,
    { cause },
  );

// Loaded on first use so that importing the core never touches the native module
// or D-Bus, and a missing build surfaces as keychain_unavailable instead of a crash.
let keytarLoading: Promise<Keytar> | undefined;
const loadKeytar = (): Promise<Keytar> => {
  keytarLoading ??= import('keytar').then((mod: Keytar & { default?: Keytar }) => mod.default ?? mod);
  return keytarLoading;
};

export interface KeytarVaultOptions {
  /** Keychain service name; ATTEST_KEYCHAIN_SERVICE, else "attest". */
  service?: string;
}

export function createKeytarVault(options: KeytarVaultOptions = {}): Vault {
  const service = options.service ?? (process.env.ATTEST_KEYCHAIN_SERVICE || DEFAULT_KEYCHAIN_SERVICE);
  const withKeytar = async <T>(use: (keytar: Keytar) => Promise<T>): Promise<T> => {
    let keytar: Keytar;
    try {
      keytar = await loadKeytar();
    } catch (error) {
      keytarLoading = undefined;
      throw keychainUnavailable(error);
    }
    try {
      return await use(keytar);
    } catch (error) {
      throw keychainUnavailable(error);
    }
  };
  return {
    get: (account: VaultAccount) => withKeytar((k) => k.getPassword(service, account)),
    set: async (account: VaultAccount, secret: string) => {
      if (secret.length === 0) throw new CoreError('invalid_input', `refusing to store an empty ${account}`);
      await withKeytar((k) => k.setPassword(service, account, secret));
    },
    delete: (account: VaultAccount) => withKeytar((k) => k.deletePassword(service, account)),
  };
}
