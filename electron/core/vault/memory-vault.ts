import type { Vault, VaultAccount } from './vault';

/** A vault that forgets on exit: for tests of the modules that use a Vault. */
export function createMemoryVault(initial: Partial<Record<VaultAccount, string>> = {}): Vault {
  const entries = new Map<VaultAccount, string>(Object.entries(initial) as [VaultAccount, string][]);
  return {
    get: async (account) => entries.get(account) ?? null,
    set: async (account, secret) => {
      entries.set(account, secret);
    },
    delete: async (account) => entries.delete(account),
  };
}
