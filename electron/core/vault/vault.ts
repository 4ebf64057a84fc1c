/**
 * Secrets the console keeps in the OS keychain, one entry per account.
 * The refresh token of the signed-in person's session (the access token it renews
 * is never written anywhere: main-process memory only), and the keys that seal the
 * offline outbox and replica on disk: one pair per person (`outbox-key:<owner tag>`,
 * electron/core/offline/offline-owner.ts); the untagged pair is an earlier console's.
 */
export const VAULT_ACCOUNTS = ['refresh-token', 'outbox-key', 'replica-key'] as const;
export type PersonKeyAccount = `outbox-key:${string}` | `replica-key:${string}`;
export type VaultAccount = (typeof VAULT_ACCOUNTS)[number] | PersonKeyAccount;

/**
 * The console's secret store. Implementations keep secrets in an OS keychain
 * and fail with `keychain_unavailable` rather than fall back to disk.
 */
export interface Vault {
  get(account: VaultAccount): Promise<string | null>;
  set(account: VaultAccount, secret: string): Promise<void>;
  /** Resolves true when an entry existed. */
  delete(account: VaultAccount): Promise<boolean>;
}
