import { describe, expect, it } from 'vitest';
import type { TenantSettings, TenantSummary } from '../../../../shared/tenants/api';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { boundsText, draftOf, draftProblems, durationOf, mfaCoverage, secondsOf, settingsChanges, spoken } from './tenantPageModel';

const DAY = 86_400;
const settings: TenantSettings = {
  name: 'Northwind Health',
  plan: 'team',
  region: 'eu',
  status: 'active',
  idleTimeoutSeconds: 14 * DAY,
  absoluteTimeoutSeconds: 30 * DAY,
  mfaRequired: true,
  bounds: { idle: { min: 900, max: 30 * DAY }, absolute: { min: 3600, max: 90 * DAY } },
};

describe('session limits in the Tenant page', () => {
  it('states a limit in the largest exact unit, and back', () => {
    expect(durationOf(14 * DAY)).toEqual({ value: '14', unit: 'days' });
    expect(durationOf(36 * 3600)).toEqual({ value: '36', unit: 'hours' });
    expect(durationOf(900)).toEqual({ value: '15', unit: 'minutes' });
    expect(secondsOf({ value: ' 8 ', unit: 'hours' })).toBe(8 * 3600);
    expect(secondsOf({ value: '1.5', unit: 'hours' })).toBeNull();
    expect(secondsOf({ value: '0', unit: 'days' })).toBeNull();
    expect(secondsOf({ value: '-3', unit: 'days' })).toBeNull();
  });

  it('says the bounds in words', () => {
    expect(boundsText(settings.bounds.idle)).toBe('15 minutes to 30 days');
    expect(spoken(3600)).toBe('1 hour');
  });

  it('flags what is out of bounds, and an absolute limit shorter than the idle one', () => {
    const draft = draftOf(settings);
    expect(draftProblems(draft, settings.bounds)).toEqual({});
    expect(draftProblems({ ...draft, idle: { value: '5', unit: 'minutes' } }, settings.bounds)).toEqual({ idle: 'Between 15 minutes to 30 days.' });
    expect(draftProblems({ ...draft, absolute: { value: '91', unit: 'days' } }, settings.bounds).absolute).toMatch(/1 hour to 90 days/);
    expect(draftProblems({ ...draft, absolute: { value: '2', unit: 'days' }, idle: { value: '3', unit: 'days' } }, settings.bounds)).toEqual({
      absolute: 'Not shorter than the idle limit.',
    });
    expect(draftProblems({ ...draft, name: '   ' }, settings.bounds)).toEqual({ name: 'A tenant needs a name.' });
  });

  it('sends only what changed, and nothing while the draft has problems', () => {
    const draft = draftOf(settings);
    expect(settingsChanges(settings, draft)).toBeNull();
    expect(settingsChanges(settings, { ...draft, idle: { value: '8', unit: 'hours' } })).toEqual({ idleTimeoutSeconds: 8 * 3600 });
    expect(settingsChanges(settings, { ...draft, name: ' Northwind Care ' })).toEqual({ name: 'Northwind Care' });
    expect(settingsChanges(settings, { ...draft, idle: { value: '1', unit: 'minutes' } })).toBeNull();
  });
});

describe('MFA coverage', () => {
  const summary = (enrolled: number, notEnrolled: number): TenantSummary => ({
    tenantId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' as TenantId,
    members: { active: enrolled + notEnrolled, invited: 0, deactivated: 0 },
    mfa: { enrolled, notEnrolled },
    liveSessions: 0,
    openIncidents: 0,
    audit: { treeSize: 0, headIssuedAt: null, lastVerifiedAt: null },
  });
  it('counts the active members with MFA, rounding down so 99.9 % never shows as 100 %', () => {
    expect(mfaCoverage(summary(4, 1))).toEqual({ text: '4 of 5 active members (80 %)', complete: false });
    expect(mfaCoverage(summary(999, 1)).text).toBe('999 of 1,000 active members (99 %)');
    expect(mfaCoverage(summary(0, 0))).toEqual({ text: 'No active members yet', complete: true });
  });
});
