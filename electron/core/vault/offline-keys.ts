import { randomBytes } from 'node:crypto';
import { CoreError } from '../core-error';
import { KEY_BYTES } from '../offline/sealed-box';
import type { PersonKeyAccount, Vault } from './vault';

export type OfflineKeyAccount = 'outbox-key' | 'replica-key' | PersonKeyAccount;

/**
 * The key that seals the outbox or the replica: random 32 bytes made on first use
 * and kept in the OS keychain only. A keychain entry that is not such a key is
 * refused rather than replaced, since replacing it would orphan the files it seals.
 */
export async function offlineKey(vault: Vault, account: OfflineKeyAccount): Promise<Buffer> {
  const stored = await vault.get(account);
  if (stored === null) {
    const key = randomBytes(KEY_BYTES);
    await vault.set(account, key.toString('base64'));
    return key;
  }
  const key = Buffer.from(stored, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== stored) {
    throw new CoreError('keychain_unavailable', `The keychain entry ${account} does not hold a ${KEY_BYTES}-byte key; the offline files it seals cannot be opened.`);
  }
  return key;
}
