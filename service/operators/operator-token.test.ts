import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateOperatorToken, hashesEqual, hashToken, isWellFormedOperatorToken } from './operator-token';

describe('operator tokens', () => {
  it('are atst_op_ + 32 random bytes in base64url', () => {
    const token = generateOperatorToken();
    expect(token).toMatch(/^atst_op_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice('atst_op_'.length), 'base64url')).toHaveLength(32);
    expect(generateOperatorToken()).not.toBe(token);
    expect(isWellFormedOperatorToken(token)).toBe(true);
  });

  it('reject anything else as malformed', () => {
    for (const bad of ['', 'atst_op_', 'atst_op_short', `atst_us_${'a'.repeat(43)}`, `atst_op_${'a'.repeat(42)}!`, `atst_op_${'a'.repeat(44)}`]) {
      expect([bad, isWellFormedOperatorToken(bad)]).toEqual([bad, false]);
    }
  });

  it('hash to lowercase hex SHA-256 and compare by value', () => {
    const token = generateOperatorToken();
    expect(hashToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashesEqual(hashToken(token), hashToken(token))).toBe(true);
    expect(hashesEqual(hashToken(token), hashToken(generateOperatorToken()))).toBe(false);
    expect(hashesEqual(hashToken(token), 'abcd')).toBe(false);
  });
});
