import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Ed25519 (RFC 8032) through node:crypto, on raw 32-byte keys as tree heads and
 * GET /v1/audit/keys carry them. The conformance runner checks this module
 * against the Wycheproof vectors; the audit service signs tree heads with it.
 */
export const ED25519_PUBLIC_KEY_SIZE = 32;
export const ED25519_SIGNATURE_SIZE = 64;

const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

/** A public KeyObject from the raw 32-byte key; throws RangeError on a wrong length or a key OpenSSL refuses. */
export const ed25519PublicKey = (raw: Uint8Array): KeyObject => {
  if (raw.length !== ED25519_PUBLIC_KEY_SIZE) throw new RangeError(`an Ed25519 public key is ${ED25519_PUBLIC_KEY_SIZE} bytes, not ${raw.length}`);
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(raw) }, format: 'jwk' });
  } catch (e) {
    throw new RangeError(`not an Ed25519 public key: ${e instanceof Error ? e.message : String(e)}`);
  }
};

/** The raw 32-byte form of an Ed25519 public key. */
export const ed25519RawPublicKey = (key: KeyObject): Uint8Array => {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new RangeError('not an Ed25519 key');
  return Uint8Array.from(Buffer.from(jwk.x, 'base64url'));
};

/** A private KeyObject from the raw 32-byte seed (with its public key, as JWK requires). */
export const ed25519PrivateKey = (seed: Uint8Array, publicKey: Uint8Array): KeyObject => {
  if (seed.length !== 32) throw new RangeError('an Ed25519 private key seed is 32 bytes');
  return createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: b64url(seed), x: b64url(publicKey) }, format: 'jwk' });
};

export const generateEd25519KeyPair = (): { publicKey: KeyObject; privateKey: KeyObject } => generateKeyPairSync('ed25519');

export const ed25519Sign = (privateKey: KeyObject, message: Uint8Array): Uint8Array => Uint8Array.from(sign(null, message, privateKey));

/**
 * True only for a valid signature of `message` under `publicKey`. Never throws:
 * a malformed key or a signature of the wrong length is simply not valid.
 */
export const ed25519Verify = (publicKey: Uint8Array | KeyObject, message: Uint8Array, signature: Uint8Array): boolean => {
  try {
    if (signature.length !== ED25519_SIGNATURE_SIZE) return false;
    const key = publicKey instanceof Uint8Array ? ed25519PublicKey(publicKey) : publicKey;
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
};
