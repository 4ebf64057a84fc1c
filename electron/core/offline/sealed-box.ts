import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * AES-256-GCM with 12-byte random nonces and 16-byte tags: how the offline store
 * seals what it writes to disk. The key comes from the caller (the vault keeps it
 * in the OS keychain); it is never written beside the data.
 */
export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

export const checkKey = (key: Uint8Array, what: string): void => {
  if (key.length !== KEY_BYTES) throw new RangeError(`the ${what} key must be ${KEY_BYTES} bytes, not ${key.length}`);
};

export interface Sealed {
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

export const seal = (key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Sealed => {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, ciphertext, tag: cipher.getAuthTag() };
};

/** The plaintext, or null when the key, nonce, ciphertext, tag or associated data do not match. */
export const open = (key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Buffer | null => {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return null;
  }
};

/** CRC-32 as an unsigned 32-bit number (zlib's polynomial). */
export const checksum = (bytes: Uint8Array): number => crc32(bytes) >>> 0;
