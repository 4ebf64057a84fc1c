import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, filtersToQuery, missingPages, PAGE_SIZE, rowAt } from './auditModel';

describe('audit view model', () => {
  it('turns toolbar filters into a query and explains what is wrong with a bad one', () => {
    expect(filtersToQuery(EMPTY_FILTERS)).toEqual({ ok: true, query: {} });
    const ok = filtersToQuery({ ...EMPTY_FILTERS, from: '2026-01-02T10:30', actor: ' u-1 ', action: 'session.revoked', outcome: 'denied' });
    expect(ok).toEqual({ ok: true, query: { from: new Date(2026, 0, 2, 10, 30).toISOString(), actor: 'u-1', action: 'session.revoked', outcome: 'denied' } });
    expect(filtersToQuery({ ...EMPTY_FILTERS, action: 'Revoke' })).toMatchObject({ ok: false, field: 'action' });
    expect(filtersToQuery({ ...EMPTY_FILTERS, from: '2026-01-02T10:30', to: '2026-01-01T10:30' })).toMatchObject({ ok: false, field: 'to' });
  });

  it('fetches only the pages a visible range lacks, within the log', () => {
    const have = new Map([[1, []]]);
    expect(missingPages(0, 40, 100_000, have, new Set())).toEqual([0]);
    expect(missingPages(PAGE_SIZE - 10, PAGE_SIZE * 2 + 5, 100_000, have, new Set([2]))).toEqual([0]);
    expect(missingPages(99_990, 100_020, 100_000, new Map(), new Set())).toEqual([199]);
    expect(missingPages(0, 10, 0, new Map(), new Set())).toEqual([]);
  });

  it('finds a row by index across pages', () => {
    const pages = new Map([[2, [{ seq: 1001 }, { seq: 1002 }]]]) as never;
    expect(rowAt(pages, 1001)?.seq).toBe(1002);
    expect(rowAt(pages, 5)).toBeUndefined();
  });
});
