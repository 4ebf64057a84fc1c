import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { base32Decode, base32Encode, currentCode, hotpCode, matchTotp, newTotpSecret, otpauthUri, timeStep, totpCode } from './totp';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const Algorithm = z.enum(['SHA1', 'SHA256', 'SHA512']);
const Digits = z.union([z.literal(6), z.literal(7), z.literal(8)]);
const Vectors = z.object({
  hotp: z.array(z.object({ algorithm: Algorithm, secretAscii: z.string(), counter: z.number(), digits: Digits, otp: z.string() })),
  totp: z.array(z.object({ algorithm: Algorithm, secretAscii: z.string(), unixTime: z.number(), step: z.number(), digits: Digits, otp: z.string() })),
});
const vectors = Vectors.parse(JSON.parse(readFileSync(resolve(repoRoot, '..', 'shared', 'vectors', 'otp-rfc4226-rfc6238.json'), 'utf8')));

describe('one-time codes against RFC 4226 and RFC 6238', () => {
  it('computes every HOTP vector', async () => {
    expect(vectors.hotp.length).toBeGreaterThanOrEqual(10);
    for (const v of vectors.hotp) {
      const code = await hotpCode(Buffer.from(v.secretAscii, 'ascii'), v.counter, { algorithm: v.algorithm, digits: v.digits });
      expect([v.counter, code]).toEqual([v.counter, v.otp]);
    }
  });

  it('computes every TOTP vector (SHA1, SHA256, SHA512)', async () => {
    expect(new Set(vectors.totp.map((v) => v.algorithm))).toEqual(new Set(['SHA1', 'SHA256', 'SHA512']));
    for (const v of vectors.totp) {
      const code = await totpCode(Buffer.from(v.secretAscii, 'ascii'), v.unixTime, { algorithm: v.algorithm, digits: v.digits, period: v.step });
      expect([v.algorithm, v.unixTime, code]).toEqual([v.algorithm, v.unixTime, v.otp]);
    }
  });
});

describe('TOTP for sign-in', () => {
  const secret = newTotpSecret();
  const at = new Date('2026-03-01T12:00:15Z');

  it('accepts the current code and one step either side, and says which step matched', async () => {
    const step = timeStep(at);
    expect(await matchTotp(secret, await currentCode(secret, at), at)).toBe(step);
    expect(await matchTotp(secret, await currentCode(secret, new Date(at.getTime() - 30_000)), at)).toBe(step - 1);
    expect(await matchTotp(secret, await currentCode(secret, new Date(at.getTime() + 30_000)), at)).toBe(step + 1);
    expect(await matchTotp(secret, await currentCode(secret, new Date(at.getTime() - 60_000)), at)).toBeNull();
    expect(await matchTotp(secret, 'abcdef', at)).toBeNull();
  });

  it('round-trips base32 and builds an otpauth URI', () => {
    expect(secret).toHaveLength(20);
    expect(base32Decode(base32Encode(secret))).toEqual(Uint8Array.from(secret));
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    const uri = new URL(otpauthUri(secret, 'ada@example.com'));
    expect(uri.protocol).toBe('otpauth:');
    expect(decodeURIComponent(uri.pathname)).toContain('Attest:ada@example.com');
    expect(uri.searchParams.get('secret')).toBe(base32Encode(secret));
    expect(uri.searchParams.get('issuer')).toBe('Attest');
  });
});
