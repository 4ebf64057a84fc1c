import { describe, expect, it } from 'vitest';
import { appendNew } from './paging';

const row = (id: string, v = 0) => ({ id, v });

describe('appendNew', () => {
  it('appends the page in its order after the loaded rows', () => {
    expect(appendNew([row('a'), row('b')], [row('c'), row('d')], (r) => r.id).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps the loaded copy of a row the page repeats (an offset page read after a row moved up)', () => {
    const out = appendNew([row('a', 1), row('b', 1)], [row('b', 2), row('c', 2)], (r) => r.id);
    expect(out).toEqual([row('a', 1), row('b', 1), row('c', 2)]);
  });

  it('changes neither input', () => {
    const loaded = [row('a')];
    const page = [row('a'), row('b')];
    appendNew(loaded, page, (r) => r.id);
    expect(loaded).toEqual([row('a')]);
    expect(page).toHaveLength(2);
  });
});
