import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Opaque bearer tokens: a recognisable prefix + 32 random bytes (base64url). Only their SHA-256 is stored. */
export const ACCESS_PREFIX = 'atst_at_';
export const REFRESH_PREFIX = 'atst_rt_';
const BODY = '[A-Za-z0-9_-]{43}';
const ACCESS = new RegExp(`^${ACCESS_PREFIX}${BODY}$`);
const REFRESH = new RegExp(`^${REFRESH_PREFIX}${BODY}$`);

/** A new opaque token: `prefix` + 32 random bytes, base64url (43 characters). Also used for operator API tokens. */
export const newBearerToken = (prefix: string): string => prefix + randomBytes(32).toString('base64url');
export const newAccessToken = (): string => newBearerToken(ACCESS_PREFIX);
export const newRefreshToken = (): string => newBearerToken(REFRESH_PREFIX);
/** Is `t` shaped like a token from newBearerToken(prefix)? */
export const hasBearerShape = (prefix: string, t: string): boolean => t.startsWith(prefix) && new RegExp(`^${BODY}$`).test(t.slice(prefix.length));
export const isAccessToken = (t: string): boolean => ACCESS.test(t);
export const isRefreshToken = (t: string): boolean => REFRESH.test(t);

export const sha256Hex = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export const hexEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
};
