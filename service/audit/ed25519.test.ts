import { describe, expect, it } from 'vitest';
import { ed25519PrivateKey, ed25519PublicKey, ed25519RawPublicKey, ed25519Sign, ed25519Verify, generateEd25519KeyPair } from './ed25519';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

describe('ed25519', () => {
  // RFC 8032 §7.1, TEST 2.
  const seed = hex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb');
  const pub = hex('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');
  const msg = hex('72');
  const sig = hex('92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00');

  it('verifies the RFC 8032 test vector and signs deterministically', () => {
    expect(ed25519Verify(pub, msg, sig)).toBe(true);
    expect(ed25519Verify(ed25519PublicKey(pub), msg, sig)).toBe(true);
    expect(Buffer.from(ed25519Sign(ed25519PrivateKey(seed, pub), msg))).toEqual(Buffer.from(sig));
  });

  it('rejects a changed message, signature or key, and malformed input, without throwing', () => {
    expect(ed25519Verify(pub, hex('73'), sig)).toBe(false);
    const badSig = sig.slice();
    badSig[5]! ^= 1;
    expect(ed25519Verify(pub, msg, badSig)).toBe(false);
    expect(ed25519Verify(pub, msg, sig.subarray(0, 63))).toBe(false);
    expect(ed25519Verify(pub, msg, Uint8Array.from([...sig, 0]))).toBe(false);
    expect(ed25519Verify(pub.subarray(1), msg, sig)).toBe(false);
    expect(ed25519Verify(new Uint8Array(32), msg, sig)).toBe(false);
    expect(() => ed25519PublicKey(new Uint8Array(31))).toThrow(RangeError);
  });

  it('round-trips generated keys through the raw form', () => {
    const { publicKey, privateKey } = generateEd25519KeyPair();
    const raw = ed25519RawPublicKey(publicKey);
    expect(raw).toHaveLength(32);
    const s = ed25519Sign(privateKey, hex('00ff'));
    expect(ed25519Verify(raw, hex('00ff'), s)).toBe(true);
    expect(ed25519Verify(ed25519RawPublicKey(generateEd25519KeyPair().publicKey), hex('00ff'), s)).toBe(false);
  });
});
