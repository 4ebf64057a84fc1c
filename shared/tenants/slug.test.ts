import { describe, expect, it } from 'vitest';
import { isSlug, slugCandidate, slugFromName } from './slug';

describe('tenant slugs', () => {
  it.each(['acme', 'acme-corp', 'a1b', 'x'.repeat(63), '123', 'eu-2-west'])('accepts %s', (s) => {
    expect(isSlug(s)).toBe(true);
  });

  it.each(['ab', 'x'.repeat(64), 'Acme', '-acme', 'acme-', 'ac--me', 'ac_me', 'ac me', 'acmé', ''])('refuses %j', (s) => {
    expect(isSlug(s)).toBe(false);
  });

  it('derives a valid slug from any name', () => {
    expect(slugFromName('Acme Corp')).toBe('acme-corp');
    expect(slugFromName('  Café Müller & Söhne!  ')).toBe('cafe-muller-sohne');
    expect(slugFromName('A')).toBe('a-tenant');
    expect(slugFromName('日本')).toBe('tenant');
    expect(slugFromName(`${'a'.repeat(62)} b`)).toBe('a'.repeat(62));
    for (const name of ['A', '--', 'x'.repeat(200), 'a b c', '日本', `${'a'.repeat(61)}-b`]) {
      expect(isSlug(slugFromName(name))).toBe(true);
      expect(isSlug(slugCandidate(name, 12))).toBe(true);
    }
  });

  it('numbers later candidates within the length limit', () => {
    expect(slugCandidate('Acme', 1)).toBe('acme');
    expect(slugCandidate('Acme', 2)).toBe('acme-2');
    expect(slugCandidate('x'.repeat(80), 10)).toHaveLength(63);
  });
});
