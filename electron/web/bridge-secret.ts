import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh per-launch bridge secret: 32 random bytes, base64url. */
export const createBridgeSecret = (): string => randomBytes(32).toString('base64url');

/** Compares in time independent of where the strings differ (hashing first evens out lengths). */
export function bridgeSecretMatches(expected: string, presented: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(presented));
}
