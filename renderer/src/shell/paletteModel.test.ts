import { describe, expect, it } from 'vitest';
import { paletteItems, paletteKey, paletteLabel, type PaletteSources } from './paletteModel';

const ada = { userId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', email: 'ada@example.com', displayName: 'Ada Lovelace' };
const sources: PaletteSources = {
  views: [
    { id: 'users', label: 'Users' },
    { id: 'sessions', label: 'Sessions' },
  ],
  people: [ada],
  tenants: [
    { id: 't1', name: 'Acme GmbH' },
    { id: 't2', name: 'Globex' },
  ],
  incidents: [{ id: 'i1', title: 'Leaked credentials at Acme' }],
  canCutOff: true,
};

describe('the command palette', () => {
  it('lists every view on an empty query, and only views', () => {
    expect(paletteItems('', sources).map(paletteLabel)).toEqual(['Go to Users', 'Go to Sessions']);
  });

  it('finds people (with their cut-off action), tenants by name and incidents by title', () => {
    expect(paletteItems('acme', sources).map(paletteKey)).toEqual([`person:${ada.userId}`, `cut_off:${ada.userId}`, 'tenant:t1', 'incident:i1']);
    expect(paletteItems('acme', sources).map(paletteLabel)[1]).toBe('Cut off access… Ada Lovelace');
  });

  it('offers no cut-off to who may not cut off, and matches regardless of case', () => {
    expect(paletteItems('SESS', { ...sources, people: [], canCutOff: false }).map(paletteKey)).toEqual(['view:sessions']);
    expect(paletteItems('ada', { ...sources, canCutOff: false }).map((i) => i.kind)).toEqual(['person']);
  });
});
