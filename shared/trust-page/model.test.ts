import { describe, expect, it } from 'vitest';
import type { ControlResult, Posture } from '../posture/api';
import { CONTROLS } from '../posture/catalogue';
import { TRUST_SECTIONS } from '../posture/control';
import { PLATFORM_TRUST_SLUG, TrustSlugSchema } from './bundle';
import { diffPostures } from './diff';
import { allSentences, buildTrustPageModel, sentencesOf } from './model';
import { parseTrustPageFile } from './parse';
import { renderTrustPageHtml } from './render-html';
import { renderTrustPageMarkdown } from './render-markdown';
import { SlugSchema } from '../tenants/slug';

const control = (id: string, status: ControlResult['status'], evidence: ControlResult['evidence'], remediation?: ControlResult['remediation']): ControlResult => {
  const c = CONTROLS.find((x) => x.id === id)!;
  const mappings = { soc2: [...c.mappings.soc2], iso27001: [...c.mappings.iso27001], gdpr: [...c.mappings.gdpr] };
  return { id, title: c.title, section: c.section, status, evidence, mappings, ...(remediation ? { remediation } : {}) };
};

const posture = (controls: ControlResult[]): Posture => ({
  tenantId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  catalogueVersion: 1,
  evaluatedAt: '2026-12-01T10:00:00.000Z',
  controls,
});

const subject = { name: 'Acme', slug: 'acme' };
const mfaPass = control('auth.mfa', 'pass', { enforced: true, activeMembers: 4, enrolled: 4, enrolledPercent: 100 });
const mfaFail = (plan?: ControlResult['remediation']) => control('auth.mfa', 'fail', { enforced: false, activeMembers: 4, enrolled: 3, enrolledPercent: 75 }, plan);
const tlsNa = control('transport.tls', 'not_applicable', {});
const sessions = control('sessions.limits', 'pass', { idleSeconds: 3600, absoluteSeconds: 43200, idleHours: 1, absoluteHours: 12 });

describe('the trust page model', () => {
  it('a passing control prints its sentence from evidence; not applicable prints nothing; sections in TRUST_SECTIONS order', () => {
    const model = buildTrustPageModel({ subject, posture: posture([sessions, mfaPass, tlsNa]) });
    expect(model.sections.map((s) => s.title)).toEqual(['Authentication', 'Sessions']);
    expect(TRUST_SECTIONS.indexOf('Authentication')).toBeLessThan(TRUST_SECTIONS.indexOf('Sessions'));
    expect(allSentences(model)).toEqual([
      { controlId: 'auth.mfa', kind: 'claim', text: 'Every member signs in with a second factor: enforcement is on and 100% of active members are enrolled.' },
      { controlId: 'sessions.limits', kind: 'claim', text: 'Sessions end after 1 hours without activity and 12 hours in all.' },
    ]);
    expect(model.preview).toBe(true);
  });

  it('a failing control states what is missing and its plan (overdue said), or that it has none; never its promise', () => {
    expect(sentencesOf(mfaFail()).map((s) => [s.kind, s.text])).toEqual([
      ['statement', 'A second factor is not enforced for every member: 75% of active members are enrolled.'],
      ['remediation', 'No remediation plan.'],
    ]);
    const plan = { targetDate: '2026-11-01', compensatingControls: ' SSO only.\n\n ', updatedAt: '2026-10-01T00:00:00.000Z', status: 'open' as const, ownerAssigned: true, overdue: true };
    expect(sentencesOf(mfaFail(plan))[1]?.text).toBe('A remediation plan is kept with an owner; target 2026-11-01 (overdue); compensating controls: SSO only.');
    expect(sentencesOf(mfaFail({ ...plan, compensatingControls: '', overdue: false }))[1]?.text).toBe(
      'A remediation plan is kept with an owner; target 2026-11-01; compensating controls: none stated.',
    );
  });

  it('a claim whose figure is missing is not printed; a statement whose figure is missing falls back to the generic one', () => {
    expect(sentencesOf(control('access.reviews', 'pass', { periodDays: 90, daysSinceLastReview: null }))).toEqual([]);
    expect(sentencesOf(control('access.reviews', 'fail', { periodDays: 90 }))[0]?.text).toBe('Access reviewed every period: not in place.');
  });

  it('every sentence of a full page is backed by a control of the catalogue, and the renderings carry exactly those sentences', () => {
    const all = CONTROLS.map((c) => control(c.id, 'fail', {}));
    const model = buildTrustPageModel({ subject, posture: posture(all), snapshot: { id: 'ffffffff-ffff-4fff-8fff-ffffffffffff', sha256: 'a'.repeat(64) } });
    const ids = new Set<string>(CONTROLS.map((c) => c.id));
    for (const s of allSentences(model)) expect(ids.has(s.controlId)).toBe(true);
    for (const text of [renderTrustPageHtml(model, null), renderTrustPageMarkdown(model, null)]) {
      expect(parseTrustPageFile(text).sentences).toEqual(allSentences(model).map((s) => ({ controlId: s.controlId, kind: s.kind, text: s.text })));
    }
  });

  it('markup in the tenant name or a plan is inert in HTML and Markdown, and reads back as the same text', () => {
    const hostile = '<img src=x onerror=alert(1)> *bold* [x](javascript:alert(1)) `code` # & "quotes"';
    const plan = { targetDate: '2027-01-01', compensatingControls: hostile, updatedAt: '2026-10-01T00:00:00.000Z', status: 'open' as const, ownerAssigned: true, overdue: false };
    const model = buildTrustPageModel({ subject: { name: hostile, slug: 'acme' }, posture: posture([mfaFail(plan)]) });
    const html = renderTrustPageHtml(model, null);
    expect(html).not.toMatch(/<img|"quotes"/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const md = renderTrustPageMarkdown(model, null);
    expect(md).not.toMatch(/<img|\[x\]\(|\*bold\*|`code`/);
    expect(md).toContain('\\*bold\\* \\[x\\](javascript:alert(1)) \\`code\\` \\# &amp;');
    for (const text of [html, md]) expect(parseTrustPageFile(text).sentences[1]?.text).toContain(hostile);
  });

  it('the platform’s slug is not a tenant slug', () => {
    expect(SlugSchema.safeParse(PLATFORM_TRUST_SLUG).success).toBe(false);
    expect(TrustSlugSchema.safeParse(PLATFORM_TRUST_SLUG).success).toBe(true);
  });
});

describe('diff of two postures', () => {
  it('per control: a claim becoming a statement with its plan is a change with the status; a control that stops applying is removed', () => {
    const diff = diffPostures(posture([mfaPass, sessions]), posture([mfaFail(), control('sessions.limits', 'not_applicable', {})]));
    expect(diff.changes).toEqual([
      expect.objectContaining({ controlId: 'auth.mfa', kind: 'changed', statusBefore: 'pass', statusAfter: 'fail', before: [expect.stringMatching(/^Every member/)] }),
      expect.objectContaining({ controlId: 'sessions.limits', kind: 'removed', statusAfter: 'not_applicable', after: [] }),
    ]);
    expect(diffPostures(posture([sessions]), posture([sessions])).changes).toEqual([]);
    expect(diffPostures(posture([tlsNa]), posture([mfaPass])).changes.map((c) => [c.controlId, c.kind])).toEqual([
      ['auth.mfa', 'added'],
      ['transport.tls', 'changed'],
    ]);
  });
});
