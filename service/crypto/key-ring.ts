import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { replaceFileDurably } from '../../shared/node/durable-file';
import { AeadError, gcmOpen, gcmSeal, randomNonce } from './aead';

/**
 * Secrets at rest (TOTP secrets) are sealed with AES-256-GCM under the current
 * key of the service's key file; the sealed form names its key, so a new key can
 * be made current while old ciphertexts still open. The associated data binds a
 * ciphertext to what it belongs to (a user id): copying one user's sealed secret
 * onto another user's row makes it fail to open.
 *
 * Sealed form: `v1.<keyId>.<nonce>.<ciphertext>.<tag>` (base64url parts).
 */
export interface KeyRing {
  readonly currentKeyId: string;
  seal(plaintext: Uint8Array, aad: string): string;
  open(sealed: string, aad: string): Buffer;
}

const KEY_ID = /^[a-z0-9]{1,32}$/;
const KeyFileSchema = z
  .object({
    version: z.literal(1),
    current: z.string().regex(KEY_ID),
    keys: z.record(z.string().regex(KEY_ID), z.string()),
  })
  .strict();
type KeyFile = z.infer<typeof KeyFileSchema>;

export const keyRingFromKeys = (keys: ReadonlyMap<string, Buffer>, currentKeyId: string): KeyRing => {
  for (const [id, key] of keys) {
    if (!KEY_ID.test(id)) throw new Error(`invalid key id ${JSON.stringify(id)}`);
    if (key.length !== 32) throw new Error(`key ${id} is not 32 bytes`);
  }
  const current = keys.get(currentKeyId);
  if (!current) throw new Error(`the current key ${currentKeyId} is not in the key ring`);
  return {
    currentKeyId,
    seal: (plaintext, aad) => {
      const nonce = randomNonce();
      const { ciphertext, tag } = gcmSeal(current, nonce, plaintext, Buffer.from(aad, 'utf8'));
      return ['v1', currentKeyId, nonce.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join('.');
    },
    open: (sealed, aad) => {
      const parts = sealed.split('.');
      if (parts.length !== 5 || parts[0] !== 'v1') throw new AeadError('not a sealed secret');
      const [, keyId = '', nonce = '', ciphertext = '', tag = ''] = parts;
      const key = keys.get(keyId);
      if (!key) throw new AeadError(`sealed under key ${keyId}, which is not in the key file`);
      const n = Buffer.from(nonce, 'base64url');
      const t = Buffer.from(tag, 'base64url');
      if (n.length !== 12 || t.length !== 16) throw new AeadError('not a sealed secret');
      return gcmOpen(key, n, Buffer.from(ciphertext, 'base64url'), t, Buffer.from(aad, 'utf8'));
    },
  };
};

const newKeyId = (): string => randomBytes(6).toString('hex');

/** A key ring that lives only in memory: for tests and benchmarks. */
export const ephemeralKeyRing = (): KeyRing => {
  const id = newKeyId();
  return keyRingFromKeys(new Map([[id, randomBytes(32)]]), id);
};

export const keyFilePath = (dataDir: string): string => join(dataDir, 'keys', 'secrets.key');

/** Owner-only, and durable before anything is sealed under a new key: a crash must not lose the key to what it sealed. */
const writeKeyFile = (path: string, file: KeyFile): Promise<void> => replaceFileDurably(path, `${JSON.stringify(file, null, 2)}\n`);

/** Loads `<dataDir>/keys/secrets.key`, creating it (0600, one new 32-byte key) on first start. */
export const loadOrCreateKeyRing = async (dataDir: string): Promise<KeyRing> => {
  const path = keyFilePath(dataDir);
  if (!existsSync(path)) {
    const id = newKeyId();
    await writeKeyFile(path, { version: 1, current: id, keys: { [id]: randomBytes(32).toString('base64') } });
  }
  const parsed = KeyFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a valid key file: ${parsed.error.message}`);
  const keys = new Map(Object.entries(parsed.data.keys).map(([id, b64]) => [id, Buffer.from(b64, 'base64')] as const));
  return keyRingFromKeys(keys, parsed.data.current);
};

/** Adds a new key and makes it current; old keys stay so existing ciphertexts still open. Returns the new key id. */
export const rotateKeyFile = async (dataDir: string): Promise<string> => {
  const path = keyFilePath(dataDir);
  const file = KeyFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const id = newKeyId();
  await writeKeyFile(path, { version: 1, current: id, keys: { ...file.keys, [id]: randomBytes(32).toString('base64') } });
  return id;
};
