import { describe, expect, it } from 'vitest';
import { argon2Hasher, ARGON2_TEST_PARAMS, isCommonPassword, passwordProblems, plainCompareHasher } from './passwords';
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from './recovery-codes';

describe('password hashing', () => {
  it('stores argon2id PHC strings that carry their parameters, and asks for a rehash when they change', async () => {
    const hasher = await argon2Hasher(ARGON2_TEST_PARAMS);
    const stored = await hasher.hash('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await hasher.verify(stored, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(stored, 'correct horse battery stapler')).toBe(false);
    expect(await hasher.verify('not a hash', 'x')).toBe(false);
    expect(await hasher.verify(hasher.dummyHash, '')).toBe(false);
    expect(hasher.needsRehash(stored)).toBe(false);
    const stronger = await argon2Hasher({ ...ARGON2_TEST_PARAMS, timeCost: 2 });
    expect(stronger.needsRehash(stored)).toBe(true);
    expect(stronger.needsRehash('plain$abc')).toBe(true);
  });

  it('has a constant-time-compare baseline for the benchmark', async () => {
    const plain = plainCompareHasher();
    expect(await plain.verify(await plain.hash('a'), 'a')).toBe(true);
    expect(await plain.verify(await plain.hash('a'), 'b')).toBe(false);
  });

  it('applies the shared policy with the shipped common-password list', () => {
    expect(isCommonPassword('password')).toBe(true);
    expect(isCommonPassword('qwerty123456')).toBe(true);
    expect(passwordProblems('Password1234')).toEqual(expect.arrayContaining(['common']));
    expect(passwordProblems('short')).toContain('too_short');
    expect(passwordProblems('ada.lovelace-1815!', 'ada.lovelace@example.com')).toContain('contains_email');
    expect(passwordProblems('violet kettle drums on tuesday')).toEqual([]);
  });
});

describe('recovery codes', () => {
  it('are ten xxxxx-xxxxx codes without look-alike letters, entered in any case with or without the dash', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) {
      expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(c).not.toMatch(/[01ilo]/);
      const n = normaliseRecoveryCode(c);
      expect(normaliseRecoveryCode(c.toUpperCase().replace('-', ''))).toBe(n);
      expect(normaliseRecoveryCode(` ${c} `)).toBe(n);
    }
    expect(normaliseRecoveryCode('abc')).toBeNull();
    expect(normaliseRecoveryCode('abcde-fghi0')).toBeNull();
    expect(hashRecoveryCode('u1', 'ABCDEFGHJK')).not.toBe(hashRecoveryCode('u2', 'ABCDEFGHJK'));
  });
});
