import { describe, expect, it } from 'vitest';
import { endpoints } from './endpoints';

describe('endpoints', () => {
  it('declares unique method+path pairs under /v1', () => {
    const keys = Object.values(endpoints).map((e) => `${e.method} ${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of Object.values(endpoints)) expect(e.path.startsWith('/v1/')).toBe(true);
  });
  it('requires an operator token on every route but health and openapi', () => {
    const open = Object.entries(endpoints)
      .filter(([, e]) => e.auth === 'none')
      .map(([name]) => name)
      .sort();
    expect(open).toEqual(['health', 'openapi']);
  });
});
