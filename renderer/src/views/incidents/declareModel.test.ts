import { describe, expect, it } from 'vitest';
import { declaration, emptyDeclaration } from './declareModel';
import { isoToLocal } from './detailsModel';

const now = new Date('2026-12-05T10:00:00.000Z');
const draft = { ...emptyDeclaration(now), title: 'Leaked keys', affectedTenantIds: ['1a2b3c4d-0000-4000-8000-000000000001'] };

describe('declaring an incident: the form checked before anything is journaled', () => {
  it('gives the request with the detection time as an instant', () => {
    expect(declaration(draft, now)).toEqual({
      ok: true,
      input: { ...draft, description: '', detectedAt: now.toISOString(), awareAt: null },
    });
  });

  it('says which field is wrong, and why', () => {
    expect(declaration({ ...draft, title: '   ' }, now)).toEqual({ ok: false, field: 'title', message: 'Give the incident a title.' });
    expect(declaration({ ...draft, detectedAt: '' }, now)).toMatchObject({ ok: false, field: 'detectedAt', message: 'Enter when it was detected.' });
    expect(declaration({ ...draft, detectedAt: isoToLocal(new Date(now.getTime() + 3_600_000).toISOString()) }, now)).toMatchObject({ ok: false, field: 'detectedAt', message: 'Detection cannot be in the future.' });
    expect(declaration({ ...draft, title: 'two\u202Elines' }, now)).toMatchObject({ ok: false, field: 'title' });
    const before = isoToLocal(new Date(now.getTime() - 3_600_000).toISOString());
    expect(declaration({ ...draft, personalData: true, detectedAt: isoToLocal(now.toISOString()), awareAt: before }, now)).toMatchObject({ ok: false, field: 'awareAt', message: 'Awareness cannot be before detection.' });
  });

  it('personal data with no awareness time given starts the regulator clock now', () => {
    expect(declaration({ ...draft, personalData: true }, now)).toMatchObject({ ok: true, input: { personalData: true, awareAt: now.toISOString() } });
  });
});
