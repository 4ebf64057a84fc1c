import { describe, expect, it } from 'vitest';
import { INCIDENT_DEADLINE_POLICY } from './deadline-policy';
import { applicableRules, incidentDeadlines, isOverdue, nextDeadlineChange, type DeadlineStatus } from './deadlines';
import type { Incident, SentNotice } from './incident';
import type { TenantId } from '../tenants/tenant';

const T0 = Date.parse('2026-11-23T00:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (offsetMs: number): string => new Date(T0 + offsetMs).toISOString();
const now = (offsetMs: number): Date => new Date(T0 + offsetMs);
const ACME = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' as TenantId;
const GLOBEX = '1a2b3c4d-0000-4000-8000-000000000002' as TenantId;

const incident = (overrides: Partial<Incident> = {}): Incident => ({
  id: '0b0e1c2d-0000-4000-8000-00000000000a',
  title: 'Leaked API keys',
  description: '',
  severity: 'P0',
  status: 'detected',
  commanderId: null,
  assigneeIds: [],
  affectedTenantIds: [ACME],
  personalData: false,
  detectedAt: at(0),
  awareAt: null,
  verifiedAt: null,
  classifiedAt: null,
  resolvedAt: null,
  reviewPublishedAt: null,
  version: 1,
  createdAt: at(0),
  updatedAt: at(0),
  ...overrides,
});

const byId = (deadlines: DeadlineStatus[]) => Object.fromEntries(deadlines.map((d) => [d.id, d]));
const notice = (kind: SentNotice['notice'], tenantId: string, offsetMs: number): SentNotice => ({ notice: kind, tenantId, at: at(offsetMs) });

describe('the deadline policy table', () => {
  it('holds the numbers the trust page promises', () => {
    const windows = Object.fromEntries(INCIDENT_DEADLINE_POLICY.map((r) => [r.id, r.within]));
    expect(windows).toEqual({
      classification: { P0: 1800, P1: 1800, P2: 1800, P3: 1800 },
      customer_notice: { P0: 86_400, P1: 259_200 },
      regulator_notice: { P0: 259_200, P1: 259_200, P2: 259_200, P3: 259_200 },
      breach_notice: { P0: 86_400, P1: 86_400, P2: 86_400, P3: 86_400 },
      post_incident_review: { P0: 1_209_600, P1: 1_209_600 },
    });
  });

  it('applies customer notice and review to P0/P1 only, regulator and breach notices only with personal data', () => {
    const ids = (i: Incident) => applicableRules(i).map((r) => r.id);
    expect(ids(incident({ severity: 'P0' }))).toEqual(['classification', 'customer_notice', 'post_incident_review']);
    expect(ids(incident({ severity: 'P1' }))).toEqual(['classification', 'customer_notice', 'post_incident_review']);
    expect(ids(incident({ severity: 'P2' }))).toEqual(['classification']);
    expect(ids(incident({ severity: 'P3' }))).toEqual(['classification']);
    expect(ids(incident({ severity: 'P3', personalData: true }))).toEqual(['classification', 'regulator_notice', 'breach_notice']);
    expect(ids(incident({ severity: 'P0', personalData: true }))).toEqual([
      'classification',
      'customer_notice',
      'regulator_notice',
      'breach_notice',
      'post_incident_review',
    ]);
  });
});

describe('classification (30 minutes from detection)', () => {
  const classification = (offsetMs: number, i = incident()) => byId(incidentDeadlines(i, [], now(offsetMs))).classification!;

  it('is pending with the time left while more than 25% of the window remains', () => {
    expect(classification(MIN)).toEqual({
      id: 'classification',
      label: 'Classify the incident',
      state: 'pending',
      startedAt: at(0),
      dueAt: at(30 * MIN),
      amberAt: at(22.5 * MIN),
      windowSeconds: 1800,
      remainingMs: 29 * MIN,
    });
    expect(classification(22.5 * MIN - 1).state).toBe('pending');
  });

  it('turns amber at exactly 25% remaining and stays amber up to and including the due instant', () => {
    expect(classification(22.5 * MIN)).toMatchObject({ state: 'amber', remainingMs: 7.5 * MIN });
    expect(classification(30 * MIN)).toMatchObject({ state: 'amber', remainingMs: 0 });
  });

  it('is missed one millisecond after the due instant, and says by how much', () => {
    expect(classification(30 * MIN + 1)).toMatchObject({ state: 'missed', satisfiedAt: null, lateByMs: 1 });
    expect(classification(2 * HOUR)).toMatchObject({ state: 'missed', satisfiedAt: null, lateByMs: 90 * MIN });
  });

  it('is met when classified at exactly the due instant, whatever the clock says later', () => {
    const classified = incident({ classifiedAt: at(30 * MIN), status: 'triaged' });
    expect(classification(10 * DAY, classified)).toMatchObject({ state: 'met', satisfiedAt: at(30 * MIN) });
  });

  it('is missed with the time when classified one millisecond late', () => {
    const late = incident({ classifiedAt: at(30 * MIN + 1), status: 'triaged' });
    expect(classification(31 * MIN, late)).toMatchObject({ state: 'missed', satisfiedAt: at(30 * MIN + 1), lateByMs: 1 });
  });

  it('accepts timestamps with offsets and reports UTC', () => {
    const offset = incident({ detectedAt: '2026-11-23T01:00:00.000+01:00' });
    expect(classification(0, offset)).toMatchObject({ startedAt: at(0), dueAt: at(30 * MIN) });
  });
});

describe('customer notice (from classification: 24 h for P0, 72 h for P1)', () => {
  const classified = (overrides: Partial<Incident> = {}) => incident({ status: 'triaged', classifiedAt: at(10 * MIN), ...overrides });
  const customer = (i: Incident, notices: SentNotice[], offsetMs: number) => byId(incidentDeadlines(i, notices, now(offsetMs))).customer_notice;

  it('has not started before classification', () => {
    expect(customer(incident(), [], 5 * MIN)).toEqual({
      id: 'customer_notice',
      label: 'Notify affected customers',
      state: 'not_started',
      startsWhen: 'classifiedAt',
    });
  });

  it('runs 24 h for P0 and 72 h for P1, from classification', () => {
    expect(customer(classified(), [], HOUR)).toMatchObject({ state: 'pending', dueAt: at(10 * MIN + DAY) });
    expect(customer(classified({ severity: 'P1' }), [], HOUR)).toMatchObject({ state: 'pending', dueAt: at(10 * MIN + 3 * DAY) });
  });

  it('does not apply to P2 and P3', () => {
    expect(customer(classified({ severity: 'P2' }), [], HOUR)).toBeUndefined();
    expect(customer(classified({ severity: 'P3' }), [], HOUR)).toBeUndefined();
  });

  it('follows a severity change: P2 raised to P0 after 23 h is amber, after 25 h already missed', () => {
    expect(customer(classified({ severity: 'P2' }), [], 23 * HOUR)).toBeUndefined();
    expect(customer(classified({ severity: 'P0' }), [], 23 * HOUR)).toMatchObject({ state: 'amber', remainingMs: HOUR + 10 * MIN });
    expect(customer(classified({ severity: 'P0' }), [], 25 * HOUR)).toMatchObject({ state: 'missed', satisfiedAt: null });
    // P1 → P0 shortens the window from 72 h to 24 h without restarting the clock.
    expect(customer(classified({ severity: 'P1' }), [], 25 * HOUR)).toMatchObject({ state: 'pending' });
  });

  it('is met only once every affected tenant has been notified, at the last of those notices', () => {
    const two = classified({ affectedTenantIds: [ACME, GLOBEX] });
    const first = [notice('customer', ACME, 2 * HOUR)];
    expect(customer(two, first, 3 * HOUR)).toMatchObject({ state: 'pending' });
    const both = [...first, notice('customer', GLOBEX, 5 * HOUR), notice('customer', GLOBEX, 4 * HOUR)];
    expect(customer(two, both, 6 * HOUR)).toMatchObject({ state: 'met', satisfiedAt: at(4 * HOUR) });
  });

  it('is not met by a notice of another kind', () => {
    expect(customer(classified(), [notice('regulator', ACME, HOUR), notice('breach', ACME, HOUR)], 2 * HOUR)).toMatchObject({
      state: 'pending',
    });
  });

  it('counts the first notice when the incident lists no affected tenant', () => {
    expect(customer(classified({ affectedTenantIds: [] }), [notice('customer', GLOBEX, HOUR)], 2 * HOUR)).toMatchObject({
      state: 'met',
      satisfiedAt: at(HOUR),
    });
  });

  it('is missed with the time when the last tenant was notified late', () => {
    expect(customer(classified(), [notice('customer', ACME, 10 * MIN + DAY + 1)], 2 * DAY)).toMatchObject({
      state: 'missed',
      satisfiedAt: at(10 * MIN + DAY + 1),
      lateByMs: 1,
    });
  });
});

describe('regulator notice (72 h from awareness, personal data only)', () => {
  const regulator = (i: Incident, offsetMs: number) => byId(incidentDeadlines(i, [], now(offsetMs))).regulator_notice;

  it('applies while personal data is flagged, and not when the flag is cleared', () => {
    const flagged = incident({ severity: 'P2', personalData: true, awareAt: at(HOUR) });
    expect(regulator(flagged, 2 * HOUR)).toMatchObject({ state: 'pending', startedAt: at(HOUR), dueAt: at(HOUR + 3 * DAY) });
    expect(regulator({ ...flagged, personalData: false }, 2 * HOUR)).toBeUndefined();
  });

  it('has not started until awareness is recorded', () => {
    expect(regulator(incident({ personalData: true }), 2 * HOUR)).toMatchObject({ state: 'not_started', startsWhen: 'awareAt' });
  });

  it('turns amber 54 h after awareness (18 h left)', () => {
    const flagged = incident({ personalData: true, awareAt: at(0) });
    expect(regulator(flagged, 54 * HOUR - 1)).toMatchObject({ state: 'pending' });
    expect(regulator(flagged, 54 * HOUR)).toMatchObject({ state: 'amber', remainingMs: 18 * HOUR });
  });
});

describe('breach notice (24 h from verification, personal data only)', () => {
  it('runs from verification and is met by a breach notice to the affected tenant', () => {
    const verified = incident({ personalData: true, awareAt: at(0), verifiedAt: at(2 * HOUR) });
    const open = byId(incidentDeadlines(verified, [], now(3 * HOUR))).breach_notice;
    expect(open).toMatchObject({ state: 'pending', dueAt: at(26 * HOUR) });
    const sent = byId(incidentDeadlines(verified, [notice('breach', ACME, 26 * HOUR)], now(3 * DAY))).breach_notice;
    expect(sent).toMatchObject({ state: 'met', satisfiedAt: at(26 * HOUR) });
  });

  it('is not started before verification', () => {
    expect(byId(incidentDeadlines(incident({ personalData: true }), [], now(0))).breach_notice).toMatchObject({ state: 'not_started' });
  });
});

describe('post-incident review (14 days from resolution, P0/P1)', () => {
  const resolved = (overrides: Partial<Incident> = {}) =>
    incident({ status: 'resolved', classifiedAt: at(MIN), resolvedAt: at(DAY), ...overrides });
  const review = (i: Incident, offsetMs: number) => byId(incidentDeadlines(i, [], now(offsetMs))).post_incident_review;

  it('starts at resolution and is met when the review is published', () => {
    expect(review(resolved(), 2 * DAY)).toMatchObject({ state: 'pending', dueAt: at(15 * DAY) });
    expect(review(resolved({ status: 'review_published', reviewPublishedAt: at(15 * DAY) }), 20 * DAY)).toMatchObject({
      state: 'met',
      satisfiedAt: at(15 * DAY),
    });
  });

  it('is amber on day 11.5 and missed after day 15 while unpublished', () => {
    expect(review(resolved(), DAY + 10.5 * DAY)).toMatchObject({ state: 'amber', remainingMs: 3.5 * DAY });
    expect(review(resolved(), 15 * DAY + 1)).toMatchObject({ state: 'missed', satisfiedAt: null, lateByMs: 1 });
  });

  it('does not apply to P2/P3 and has not started while unresolved', () => {
    expect(review(resolved({ severity: 'P2' }), 2 * DAY)).toBeUndefined();
    expect(review(incident({ status: 'contained' }), 2 * DAY)).toMatchObject({ state: 'not_started', startsWhen: 'resolvedAt' });
  });
});

describe('overdue', () => {
  it('means a deadline past due and still open; one met late does not make the incident overdue', () => {
    expect(isOverdue(incidentDeadlines(incident(), [], now(31 * MIN)))).toBe(true);
    expect(isOverdue(incidentDeadlines(incident({ classifiedAt: at(40 * MIN) }), [], now(HOUR)))).toBe(false);
    expect(isOverdue(incidentDeadlines(incident(), [], now(29 * MIN)))).toBe(false);
  });
});

describe('next change', () => {
  it('is the earliest amber or missed instant still ahead, and null once nothing is running', () => {
    const i = incident({ personalData: true, awareAt: at(0) });
    const next = (offsetMs: number, inc = i) => nextDeadlineChange(incidentDeadlines(inc, [], now(offsetMs)), now(offsetMs))?.toISOString() ?? null;
    expect(next(0)).toBe(at(22.5 * MIN));
    expect(next(22.5 * MIN)).toBe(at(30 * MIN + 1));
    expect(next(31 * MIN)).toBe(at(54 * HOUR));
    expect(next(54 * HOUR)).toBe(at(72 * HOUR + 1));
    expect(next(73 * HOUR)).toBeNull();
    expect(next(0, incident({ classifiedAt: at(MIN), status: 'triaged', severity: 'P3' }))).toBeNull();
  });
});
