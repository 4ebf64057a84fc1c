import { generate, generateSecret, generateURI, verify } from 'otplib';
import { TOTP_POLICY } from '../../shared/policy/identity';

export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';
type Digits = 6 | 7 | 8;

const otplibAlgorithm = (a: OtpAlgorithm): 'sha1' | 'sha256' | 'sha512' => (a === 'SHA1' ? 'sha1' : a === 'SHA256' ? 'sha256' : 'sha512');

/**
 * One-time codes through otplib, with every parameter explicit. The conformance
 * tests run the RFC 4226 / 6238 vectors through these two functions; sign-in
 * uses them with TOTP_POLICY (SHA1, 6 digits, 30 s).
 */
export const hotpCode = (secret: Uint8Array, counter: number, opts: { algorithm: OtpAlgorithm; digits: Digits }): Promise<string> =>
  generate({ strategy: 'hotp', secret, counter, algorithm: otplibAlgorithm(opts.algorithm), digits: opts.digits });

export const totpCode = (
  secret: Uint8Array,
  unixSeconds: number,
  opts: { algorithm: OtpAlgorithm; digits: Digits; period: number },
): Promise<string> =>
  generate({ strategy: 'totp', secret, epoch: unixSeconds, period: opts.period, algorithm: otplibAlgorithm(opts.algorithm), digits: opts.digits });

const POLICY = { algorithm: TOTP_POLICY.algorithm, digits: TOTP_POLICY.digits, period: TOTP_POLICY.period } as const;

/** The time step a moment falls in. */
export const timeStep = (at: Date): number => Math.floor(at.getTime() / 1000 / TOTP_POLICY.period);

/** The current code of a secret under the sign-in policy (the CLI, the demo and tests use it). */
export const currentCode = (secret: Uint8Array, at: Date): Promise<string> => totpCode(secret, Math.floor(at.getTime() / 1000), POLICY);

/**
 * Checks a code within ±toleranceSteps of `at`; returns the time step it matched,
 * or null. Replay protection is the caller's: a step at or before the last
 * accepted one must be refused.
 */
export const matchTotp = async (secret: Uint8Array, code: string, at: Date): Promise<number | null> => {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Math.floor(at.getTime() / 1000);
  const result = await verify({
    strategy: 'totp',
    secret,
    token: code,
    epoch,
    period: POLICY.period,
    digits: POLICY.digits,
    algorithm: otplibAlgorithm(POLICY.algorithm),
    epochTolerance: TOTP_POLICY.toleranceSteps * POLICY.period,
  });
  if (!result.valid) return null;
  return Math.floor(epoch / POLICY.period) + result.delta;
};

/** A new secret: 20 random bytes (160 bits, RFC 4226's recommendation). */
export const newTotpSecret = (): Buffer => Buffer.from(base32Decode(generateSecret({ length: 20 })));

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export const base32Encode = (bytes: Uint8Array): string => {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
};

export const base32Decode = (text: string): Uint8Array => {
  const clean = text.replace(/=+$/, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = ALPHABET.indexOf(ch);
    if (i < 0) throw new Error('not base32');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
};

/** otpauth://totp/Attest:<email>?secret=…&issuer=Attest&algorithm=SHA1&digits=6&period=30 */
export const otpauthUri = (secret: Uint8Array, email: string): string =>
  generateURI({
    strategy: 'totp',
    issuer: TOTP_POLICY.issuer,
    label: email,
    secret: base32Encode(secret),
    algorithm: otplibAlgorithm(POLICY.algorithm),
    digits: POLICY.digits,
    period: POLICY.period,
  });
