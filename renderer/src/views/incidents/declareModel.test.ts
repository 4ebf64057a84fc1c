import { describe, expect, it } from 'vitest';
import { declaration, emptyDeclaration } from './declareModel';

const now = new Date('2026-12-05T10:00:00.000Z');
const draft = { ...emptyDeclaration(now, 'utc'), title: 'Leaked keys', affectedTenantIds: ['1a2b3c4d-0000-4000-8000-000000000001'] };

describe('declaring an incident: the form checked before anything is journaled', () => {
  it('gives the request with the detection time as an instant', () => {
    expect(declaration(draft, now, 'utc')).toEqual({
      ok: true,
      input: { ...draft, description: '', detectedAt: now.toISOString(), awareAt: null },
    });
  });

  it('says which field is wrong, and why', () => {
    expect(declaration({ ...draft, title: '   ' }, now, 'utc')).toEqual({ ok: false, field: 'title', message: 'Give the incident a title.' });
    expect(declaration({ ...draft, detectedAt: '' }, now, 'utc')).toMatchObject({ ok: false, field: 'detectedAt', message: 'Enter when it was detected.' });
    expect(declaration({ ...draft, detectedAt: '2026-12-05 11:00' }, now, 'utc')).toMatchObject({ ok: false, field: 'detectedAt', message: 'Detection cannot be in the future.' });
    expect(declaration({ ...draft, title: 'two\u202Elines' }, now, 'utc')).toMatchObject({ ok: false, field: 'title' });
    const before = '2026-12-05 09:00';
    expect(declaration({ ...draft, personalData: true, detectedAt: '2026-12-05 10:00', awareAt: before }, now, 'utc')).toMatchObject({ ok: false, field: 'awareAt', message: 'Awareness cannot be before detection.' });
  });

  it('reads times as typed in the zone the console shows, and refuses a 12-hour or impossible one with what to type', () => {
    expect(draft.detectedAt).toBe('2026-12-05 10:00');
    const p = (n: number) => String(n).padStart(2, '0');
    expect(emptyDeclaration(now, 'local').detectedAt).toBe(`${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())} ${p(now.getHours())}:${p(now.getMinutes())}`);
    expect(declaration({ ...draft, detectedAt: '2026-12-05T09:15' }, now, 'utc')).toMatchObject({ ok: true, input: { detectedAt: '2026-12-05T09:15:00.000Z' } });
    expect(declaration({ ...draft, detectedAt: '12/05/2026, 09:15 AM' }, now, 'utc')).toEqual({
      ok: false,
      field: 'detectedAt',
      message: 'Detected at: type it as YYYY-MM-DD HH:MM, 24-hour (for example 2026-03-09 14:30).',
    });
    expect(declaration({ ...draft, personalData: true, awareAt: '2026-11-31 09:00' }, now, 'utc')).toEqual({
      ok: false,
      field: 'awareAt',
      message: 'Aware at: there is no date 2026-11-31, or leave it empty.',
    });
    // Awareness typed while personal data is off is not sent, so it cannot block the declaration.
    expect(declaration({ ...draft, awareAt: 'soon' }, now, 'utc')).toMatchObject({ ok: true, input: { awareAt: null } });
  });

  it('personal data with no awareness time given starts the regulator clock now', () => {
    expect(declaration({ ...draft, personalData: true }, now, 'utc')).toMatchObject({ ok: true, input: { personalData: true, awareAt: now.toISOString() } });
  });
});
