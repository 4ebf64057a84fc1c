import { describe, expect, it } from 'vitest';
import { CONTROLS } from './catalogue';
import { placeholdersOf, renderSentence, TRUST_SECTIONS, type Control } from './control';
import { coverageOf } from './coverage';
import { FRAMEWORKS, GDPR_ARTICLES, ISO27001_CONTROLS, SOC2_CRITERIA, type Framework } from './frameworks';

const frameworks = Object.keys(FRAMEWORKS) as Framework[];

describe('the frameworks shipped', () => {
  it('lists the published identifiers', () => {
    expect(ISO27001_CONTROLS).toHaveLength(37 + 8 + 14 + 34);
    expect(ISO27001_CONTROLS).toContain('A.5.37');
    expect(ISO27001_CONTROLS).not.toContain('A.5.38');
    expect(ISO27001_CONTROLS).not.toContain('A.8.35');
    expect(SOC2_CRITERIA).toContain('CC9.2');
    expect(SOC2_CRITERIA).not.toContain('CC6.9');
    expect(SOC2_CRITERIA.filter((c) => c.startsWith('CC'))).toHaveLength(33);
    expect(GDPR_ARTICLES).toEqual(expect.arrayContaining(['5(1)(e)', '25', '28', '32', '33', '34']));
    for (const f of frameworks) expect(new Set(FRAMEWORKS[f].criteria).size).toBe(FRAMEWORKS[f].criteria.length);
  });
});

describe('the controls catalogue', () => {
  it('has unique ids, known sections and a template with placeholders', () => {
    expect(new Set(CONTROLS.map((c) => c.id)).size).toBe(CONTROLS.length);
    for (const c of CONTROLS) {
      expect(TRUST_SECTIONS).toContain(c.section);
      expect(placeholdersOf(c.sentence).length, c.id).toBeGreaterThan(0);
    }
  });

  it('maps every control to real identifiers, at least one per framework', () => {
    for (const c of CONTROLS as readonly Control[]) {
      for (const f of frameworks) {
        expect(c.mappings[f].length, `${c.id} ${f}`).toBeGreaterThan(0);
        for (const id of c.mappings[f]) expect(FRAMEWORKS[f].criteria, `${c.id} maps to ${f} ${id}`).toContain(id);
      }
    }
  });

  it('a made-up identifier is caught by the same check', () => {
    const fake: Control = { ...CONTROLS[0], mappings: { soc2: ['CC6.9'], iso27001: ['A.5.38'], gdpr: ['99'] } };
    for (const f of frameworks) expect(fake.mappings[f].every((id) => FRAMEWORKS[f].criteria.includes(id))).toBe(false);
  });

  it('shows per criterion the controls covering it and the criteria nothing covers', () => {
    const iso = coverageOf('iso27001', CONTROLS);
    expect(iso.covered.find((r) => r.criterion === 'A.8.5')?.controls).toEqual(expect.arrayContaining(['auth.mfa', 'sessions.limits']));
    expect(iso.uncovered).toContain('A.7.1');
    expect(iso.uncovered).not.toContain('A.8.5');
    expect(iso.covered.length + iso.uncovered.length).toBe(ISO27001_CONTROLS.length);
    const gdpr = coverageOf('gdpr', CONTROLS);
    expect(gdpr.covered.find((r) => r.criterion === '33')?.controls).toEqual(['auth.anomalous_sign_ins', 'incidents.deadlines']);
    expect(coverageOf('soc2', CONTROLS).covered.find((r) => r.criterion === 'CC7.2')?.controls).toContain('auth.anomalous_sign_ins');
  });
});

describe('sentences', () => {
  it('fill from evidence and refuse when a figure is missing', () => {
    expect(renderSentence('Sessions end after {idle} and {absolute}.', { idle: '2 hours', absolute: '12 hours' })).toBe('Sessions end after 2 hours and 12 hours.');
    expect(renderSentence('Sessions end after {idle}.', { idle: null })).toBeNull();
    expect(renderSentence('Sessions end after {idle}.', {})).toBeNull();
  });
});
