import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `atst_op_` + 32 random bytes, base64url: recognisable in logs and secret scanners. */
const PREFIX = 'atst_op_';
const FORMAT = /^atst_op_[A-Za-z0-9_-]{43}$/;

export const generateOperatorToken = (): string => PREFIX + randomBytes(32).toString('base64url');

export const isWellFormedOperatorToken = (token: string): boolean => FORMAT.test(token);

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export const hashesEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
};
