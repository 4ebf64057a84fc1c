import { hexEqual, newBearerToken, sha256Hex } from '../sessions/session-tokens';

/** `atst_op_` + 32 random bytes, base64url: recognisable in logs and secret scanners. */
const PREFIX = 'atst_op_';
const FORMAT = /^atst_op_[A-Za-z0-9_-]{43}$/;

export const generateOperatorToken = (): string => newBearerToken(PREFIX);

export const isWellFormedOperatorToken = (token: string): boolean => FORMAT.test(token);

/** Operator tokens are stored and compared like session tokens: SHA-256 hex, constant-time. */
export const hashToken = sha256Hex;
export const hashesEqual = hexEqual;
