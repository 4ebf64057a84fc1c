import { describe, expect, it } from 'vitest';
import { countText, describeQuery, EMPTY_FILTERS, filtersToQuery, missingPages, PAGE_SIZE, rowAt } from './auditModel';
import { nameActor, nameTarget, personNamed, suggestPeople, type KnownPerson } from './auditNames';

const ADA = '0b8f4e2a-1111-4222-8333-444455556666';
const GRACE = '1c9a5f3b-1111-4222-8333-444455556666';
const people = new Map<string, KnownPerson>([
  [ADA, { userId: ADA, name: 'Ada Lovelace', email: 'ada@acme.test' }],
  [GRACE, { userId: GRACE, name: 'Grace Hopper', email: 'grace@acme.test' }],
]);
const tenants = new Map([['7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', 'Acme Health']]);
/** The log the named events are in: Acme Health's. */
const LOG = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d';

describe('audit view model', () => {
  it('turns toolbar filters into a query and explains what is wrong with a bad one', () => {
    expect(filtersToQuery(EMPTY_FILTERS)).toEqual({ ok: true, query: {} });
    const ok = filtersToQuery({ ...EMPTY_FILTERS, from: '2026-01-02T10:30', person: 'Ada Lovelace', personId: ADA, action: 'session.', outcome: 'denied' }, people);
    expect(ok).toEqual({ ok: true, query: { from: new Date(2026, 0, 2, 10, 30).toISOString(), actor: ADA, actionPrefix: 'session.', outcome: 'denied' } });
    expect(filtersToQuery({ ...EMPTY_FILTERS, action: 'Revoke' })).toMatchObject({ ok: false, field: 'action' });
    expect(filtersToQuery({ ...EMPTY_FILTERS, action: 'auth%' })).toMatchObject({ ok: false, field: 'action' });
    expect(filtersToQuery({ ...EMPTY_FILTERS, from: '2026-01-02T10:30', to: '2026-01-01T10:30' })).toMatchObject({ ok: false, field: 'to' });
    // Times are read in the zone the console shows: the same text is another instant in UTC.
    expect(filtersToQuery({ ...EMPTY_FILTERS, from: '2026-01-02 10:30', to: '2026-01-02 11:00' }, people, 'utc')).toEqual({ ok: true, query: { from: '2026-01-02T10:30:00.000Z', to: '2026-01-02T11:00:00.000Z' } });
    expect(filtersToQuery({ ...EMPTY_FILTERS, from: '01/02/2026 10:30 AM' }, people, 'utc')).toEqual({
      ok: false,
      field: 'from',
      message: 'From: type it as YYYY-MM-DD HH:MM, 24-hour (for example 2026-03-09 14:30).',
    });
    expect(filtersToQuery({ ...EMPTY_FILTERS, to: '2026-02-30 00:00' }, people, 'utc')).toEqual({ ok: false, field: 'to', message: 'To: there is no date 2026-02-30.' });
    expect(filtersToQuery({ ...EMPTY_FILTERS, from: '   ' }, people, 'utc')).toEqual({ ok: true, query: {} });
  });

  it('finds the person by what was typed: a pick, an exact name or email, a pasted id; anything else is refused with what to do', () => {
    expect(filtersToQuery({ ...EMPTY_FILTERS, person: ' grace@ACME.test ' }, people)).toEqual({ ok: true, query: { actor: GRACE } });
    expect(filtersToQuery({ ...EMPTY_FILTERS, person: 'ada lovelace' }, people)).toEqual({ ok: true, query: { actor: ADA } });
    const unknown = '9f9f9f9f-1111-4222-8333-444455556666';
    expect(filtersToQuery({ ...EMPTY_FILTERS, person: unknown.toUpperCase() }, people)).toEqual({ ok: true, query: { actor: unknown } });
    const refused = filtersToQuery({ ...EMPTY_FILTERS, person: 'Ada' }, people);
    expect(refused).toEqual({ ok: false, field: 'person', message: 'No one in this log\'s directory is called “Ada”. Pick a person from the suggestions, or paste their id.' });
  });

  it('suggests people whose name or email holds every word, name starts first', () => {
    expect(suggestPeople('a', people).map((p) => p.name)).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect(suggestPeople('hop grace', people).map((p) => p.name)).toEqual(['Grace Hopper']);
    expect(suggestPeople('  ', people)).toEqual([]);
    expect(personNamed('Nobody', people)).toBeNull();
  });

  it('names actors and targets, unknown ones said as such with the id on hover, links where a view exists', () => {
    expect(nameActor({ type: 'user', id: ADA }, people)).toEqual({ label: 'Ada Lovelace', title: `ada@acme.test · ${ADA}`, known: true, personId: ADA });
    expect(nameActor({ type: 'user', id: 'u-404' }, people)).toEqual({ label: 'unknown person', title: 'u-404', known: false });
    // Only a person the directory knows opens a person page.
    expect(nameActor({ type: 'user', id: 'u-404' }, people).personId).toBeUndefined();
    expect(nameActor({ type: 'system', id: 'retention' }, people)).toMatchObject({ label: 'system', title: 'retention' });
    expect(nameTarget(`user:${GRACE}`, people, tenants, LOG)).toMatchObject({ label: 'Grace Hopper', known: true, personId: GRACE });
    expect(nameTarget('tenant:7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', people, tenants, LOG)).toMatchObject({ label: 'tenant Acme Health', link: { section: 'tenants', id: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' } });
    expect(nameTarget('tenant:00000000-0000-4000-8000-000000000000', people, tenants, LOG)).toMatchObject({ label: 'unknown tenant', known: false });
    expect(nameTarget('incident:abcdef12-3456', people, tenants, LOG)).toMatchObject({ label: 'incident abcdef12', link: { section: 'incidents', id: 'abcdef12-3456' } });
    expect(nameTarget('session:5e55', people, tenants, LOG).link).toEqual({ section: 'sessions', id: '5e55', tenantId: LOG });
    expect(nameTarget('api_token:77', people, tenants, LOG)).toMatchObject({ label: 'API token 77', title: 'api_token:77' });
    expect(nameTarget('weird', people, tenants, LOG)).toMatchObject({ label: 'weird' });
  });

  it('counts what a filter shows against the log, a floor while more pages remain, and says the filter in words', () => {
    expect(countText(2, true, 47, true)).toBe('2 of 47');
    expect(countText(500, false, 1_000_000, true)).toBe('500+ of 1,000,000');
    expect(countText(0, true, 47, false)).toBe('47 events');
    // Signed in after the head was verified: the sign-in's own event matches too, and the count never reads "43 of 42".
    expect(countText(43, true, 42, true)).toBe('43 of 43');
    expect(describeQuery({ actor: ADA, actionPrefix: 'auth.', outcome: 'denied' }, people, (iso) => iso)).toBe('by Ada Lovelace, action starting “auth.”, outcome denied');
    expect(describeQuery({ actor: 'ffffffff-0000' }, people, (iso) => iso)).toBe('by unknown person ffffffff');
    expect(describeQuery({}, people, (iso) => iso)).toBe('all events');
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
