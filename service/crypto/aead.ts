import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual, type CipherGCMTypes } from 'node:crypto';

/**
 * Low-level AES-GCM, as NIST SP 800-38D defines it: any key size AES supports,
 * any non-empty IV, tags of 4, 8 or 12–16 bytes. The key ring (key-ring.ts)
 * uses it with 256-bit keys, 12-byte random nonces and 16-byte tags only; the
 * generality is here so that the conformance vectors run through the same code.
 */
export class AeadError extends Error {
  override readonly name = 'AeadError';
}

const ALGORITHMS: Readonly<Record<number, CipherGCMTypes>> = { 16: 'aes-128-gcm', 24: 'aes-192-gcm', 32: 'aes-256-gcm' };
const TAG_LENGTHS = new Set([4, 8, 12, 13, 14, 15, 16]);

const algorithmFor = (key: Uint8Array): CipherGCMTypes => {
  const algorithm = ALGORITHMS[key.length];
  if (!algorithm) throw new AeadError(`AES keys are 16, 24 or 32 bytes, not ${key.length}`);
  return algorithm;
};

const checkIvAndTag = (iv: Uint8Array, tagLength: number): void => {
  // A zero-length IV leaks the authentication key (CVE-2017-7822).
  if (iv.length === 0) throw new AeadError('the IV must not be empty');
  if (!TAG_LENGTHS.has(tagLength)) throw new AeadError(`unsupported tag length ${tagLength}`);
};

export interface Sealed {
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/** OpenSSL refuses GCM IVs longer than this; longer ones (legal in GCM) take the software path below. */
const OPENSSL_MAX_IV = 128;

const block = (n: bigint): Buffer => Buffer.from(n.toString(16).padStart(32, '0'), 'hex');
const num = (b: Uint8Array): bigint => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);
const R = 0xe1n << 120n;

/** Multiplication in GF(2^128) with GCM's bit order (SP 800-38D, algorithm 1). */
const gfMul = (x: bigint, y: bigint): bigint => {
  let z = 0n;
  let v = y;
  for (let i = 127n; i >= 0n; i -= 1n) {
    if ((x >> i) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z;
};

const ghash = (h: bigint, data: Uint8Array): bigint => {
  let y = 0n;
  for (let i = 0; i < data.length; i += 16) {
    const chunk = Buffer.alloc(16);
    Buffer.from(data.subarray(i, i + 16)).copy(chunk);
    y = gfMul(y ^ num(chunk), h);
  }
  return y;
};

const padded = (b: Uint8Array): Buffer => Buffer.concat([b, Buffer.alloc((16 - (b.length % 16)) % 16)]);
const lengths = (a: number, b: number): Buffer => Buffer.concat([u64(a * 8), u64(b * 8)]);
const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};

/**
 * GCM with a long IV, in software over AES-ECB: J0 = GHASH(IV), then CTR with
 * inc32 (the counter wraps within its low 32 bits) and the GHASH tag.
 */
const softwareGcm = (key: Uint8Array, iv: Uint8Array, input: Uint8Array, aad: Uint8Array, decrypt: boolean): { output: Buffer; tag: Buffer } => {
  const ecb = (b: Buffer): Buffer => {
    const c = createCipheriv(algorithmFor(key).replace('gcm', 'ecb'), key, null);
    c.setAutoPadding(false);
    return Buffer.concat([c.update(b), c.final()]);
  };
  const h = num(ecb(Buffer.alloc(16)));
  const j0 = block(ghash(h, Buffer.concat([padded(iv), Buffer.alloc(8), u64(iv.length * 8)])));
  const output = Buffer.alloc(input.length);
  const counter = Buffer.from(j0);
  for (let i = 0; i < input.length; i += 16) {
    counter.writeUInt32BE((counter.readUInt32BE(12) + 1) >>> 0, 12);
    const ks = ecb(counter);
    for (let j = 0; j < 16 && i + j < input.length; j += 1) output[i + j] = (input[i + j] ?? 0) ^ (ks[j] ?? 0);
  }
  const ciphertext = decrypt ? input : output;
  const s = ghash(h, Buffer.concat([padded(aad), padded(ciphertext), lengths(aad.length, ciphertext.length)]));
  const tag = block(s ^ num(ecb(j0)));
  return { output, tag };
};

export const gcmSeal = (key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array, tagLength = 16): Sealed => {
  checkIvAndTag(iv, tagLength);
  if (iv.length > OPENSSL_MAX_IV) {
    const { output, tag } = softwareGcm(key, iv, plaintext, aad, false);
    return { ciphertext: output, tag: tag.subarray(0, tagLength) };
  }
  const cipher = createCipheriv(algorithmFor(key), key, iv, { authTagLength: tagLength });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
};

/** Decrypts and verifies; throws AeadError when anything (key, IV, AAD, ciphertext, tag) does not match. */
export const gcmOpen = (key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Buffer => {
  checkIvAndTag(iv, tag.length);
  if (iv.length > OPENSSL_MAX_IV) {
    const { output, tag: expected } = softwareGcm(key, iv, ciphertext, aad, true);
    if (!timingSafeEqual(expected.subarray(0, tag.length), tag)) {
      throw new AeadError('decryption failed: the ciphertext, its tag or its associated data do not match');
    }
    return output;
  }
  try {
    const decipher = createDecipheriv(algorithmFor(key), key, iv, { authTagLength: tag.length });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new AeadError('decryption failed: the ciphertext, its tag or its associated data do not match');
  }
};

export const randomNonce = (): Buffer => randomBytes(12);
