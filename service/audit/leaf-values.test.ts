import { describe, expect, it } from 'vitest';
import { assertLeafValues, freeText, isMachineValue } from './leaf-values';

describe('what may enter the hashed leaf', () => {
  it('takes ids, times, numbers and codes', () => {
    for (const v of ['3f0e8c1a-1b2c-4d5e-8f90-a1b2c3d4e5f6', '2026-06-01T10:00:00.000Z', '2026-06-01', 'owner', 'P1', 'bad_password', 'sessions.revoke_tenant', 'user:3f0e8c1a-1b2c-4d5e-8f90-a1b2c3d4e5f6', 'sign-in', '42']) {
      expect(isMachineValue(v), v).toBe(true);
    }
  });

  it('refuses sentences, emails, punctuation, control characters, the empty string and very long codes', () => {
    for (const v of ['two words', 'ada@example.com', 'Q3: admins', 'x\u0000', 'a/b', '', 'a'.repeat(201), '=1+1', '198.51.100.7', '2001:db8::1']) expect(isMachineValue(v), v).toBe(false);
  });

  it('names the first offending place', () => {
    const actor = { id: 'op-1' };
    expect(() => assertLeafValues({ action: 'thing.done', target: 'thing:1', actor, details: { a: [1, { b: 'not ok' }] } })).toThrow(/details\.a\[1\]\.b/);
    expect(() => assertLeafValues({ action: 'thing.done', target: 'thing:1', actor: { id: 'Ada Lovelace' } })).toThrow(/actor\.id/);
    expect(() => assertLeafValues({ action: 'thing.done', target: 'thing:1', actor, details: { n: 1, ok: true, none: null } })).not.toThrow();
  });

  it('freeText splits text into lengths for the leaf and the text for the personal part', () => {
    expect(freeText({ title: 'Q3 review', comment: '' })).toEqual({ lengths: { titleLength: 9, commentLength: 0 }, personal: { title: 'Q3 review', comment: '' } });
  });
});
