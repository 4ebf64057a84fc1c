import { createHash, randomInt } from 'node:crypto';
import { TOTP_POLICY } from '../../shared/policy/identity';

/**
 * Recovery codes: xxxxx-xxxxx from a 31-letter alphabet without look-alikes
 * (no 0/O, 1/I/L), about 49 bits each. Stored as SHA-256 of user id + normalised code
 * (the per-user prefix means one table of hashes can't be matched across users);
 * 49 random bits don't need key stretching against an online attacker held back
 * by the sign-in rate limits.
 */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

const randomGroup = (): string => Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

export const newRecoveryCodes = (count: number = TOTP_POLICY.recoveryCodeCount): string[] =>
  Array.from({ length: count }, () => `${randomGroup()}-${randomGroup()}`.toLowerCase());

/** Case-insensitive, dash and spaces optional; null when it can't be a recovery code. */
export const normaliseRecoveryCode = (input: string): string | null => {
  const clean = input.replace(/[\s-]/g, '').toUpperCase();
  if (clean.length !== 10) return null;
  for (const ch of clean) if (!ALPHABET.includes(ch)) return null;
  return clean;
};

export const hashRecoveryCode = (userId: string, normalised: string): string =>
  createHash('sha256').update(`${userId}:${normalised}`).digest('hex');
