import { describe, expect, it } from 'vitest';
import { incidentDeadlines } from '../../../../shared/incidents/deadlines';
import type { Incident } from '../../../../shared/incidents/incident';
import { sampleIncident } from '../../../../shared/incidents/incident.fixture';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { compactSpan, humanSpan } from '../../../../shared/common/spans';
import { countdownOf, describeMove, nextDeadline, nextDeadlineText, previewChange } from './deadlinePreview';

const H = 3_600_000;
const A = '1a2b3c4d-0000-4000-8000-000000000001' as TenantId;
const triaged: Incident = sampleIncident({ severity: 'P0', status: 'triaged', affectedTenantIds: [A], personalData: false, awareAt: null, verifiedAt: null });
const classified = { ...triaged, classifiedAt: triaged.detectedAt };
/** Three hours after classification. */
const now = new Date(Date.parse(triaged.detectedAt) + 3 * H);

describe('deadline preview before a change is confirmed', () => {
  it('says how a downgrade P0 → P1 moves the customer notice, and asks a reason', () => {
    const p = previewChange(classified, { kind: 'severity', to: 'P1' }, [], now);
    if (typeof p === 'string') throw new Error(p);
    expect(p.moves.map((m) => describeMove(m, now))).toEqual(['Notify affected customers: due in 21 h → due in 2 d 21 h']);
    expect(p.reasonRequired).toBe('downgrade');
  });

  it('an upgrade needs no reason; P2 → P0 asks for the notice and the review again', () => {
    const p = previewChange({ ...classified, severity: 'P2' }, { kind: 'severity', to: 'P0' }, [], now);
    if (typeof p === 'string') throw new Error(p);
    expect(p.reasonRequired).toBeNull();
    expect(p.moves.map((m) => describeMove(m, now))).toEqual([
      'Notify affected customers: not required → due in 21 h',
      'Publish the post-incident review: not required → starts at resolution',
    ]);
  });

  it('resolving with the customer notice unsent warns and asks a reason; sent, it does not', () => {
    const p = previewChange(classified, { kind: 'status', to: 'resolved' }, [], now);
    if (typeof p === 'string') throw new Error(p);
    expect(p.reasonRequired).toBe('unsent_notices');
    expect(p.owed).toEqual([{ id: 'customer_notice', notice: 'customer', tenantId: A }]);
    expect(p.moves.map((m) => describeMove(m, now))).toEqual(['Publish the post-incident review: starts at resolution → due in 14 d']);
    const sent = previewChange(classified, { kind: 'status', to: 'resolved' }, [{ notice: 'customer', tenantId: A, at: now.toISOString() }], now);
    expect(sent).toMatchObject({ reasonRequired: null, owed: [] });
  });

  it('a change the workflow refuses says why instead', () => {
    expect(previewChange(classified, { kind: 'status', to: 'review_published' }, [], now)).toBe('transition_not_allowed');
  });

  it('reads spans at a glance', () => {
    expect([humanSpan(21 * H), humanSpan(69 * H), humanSpan(5.5 * H), humanSpan(12 * 60_000), humanSpan(20_000), humanSpan(-2 * H)]).toEqual([
      '21 h',
      '2 d 21 h',
      '5 h 30 min',
      '12 min',
      '< 1 min',
      '2 h',
    ]);
  });
});

describe('countdown bars', () => {
  const at = (minutes: number) => new Date(Date.parse(triaged.detectedAt) + minutes * 60_000);
  const classification = (minutes: number) => incidentDeadlines({ ...triaged, classifiedAt: null }, [], at(minutes))[0]!;

  it('stay green with most of the window left, turn amber in the policy\'s last quarter and red once missed', () => {
    expect(countdownOf(classification(6), at(6))).toEqual({ value: 0.8, intent: 'success', text: 'due in 24 min' });
    expect(countdownOf(classification(22), at(22)).intent).toBe('success');
    expect(countdownOf(classification(23), at(23))).toMatchObject({ intent: 'warning', text: 'due in 7 min' });
    expect(countdownOf(classification(31), at(31))).toEqual({ value: 1, intent: 'danger', text: 'overdue by 1 min' });
  });

  it('the list\'s next deadline is the open one due soonest', () => {
    const deadlines = incidentDeadlines(classified, [], now);
    expect(nextDeadline(deadlines)).toMatchObject({ id: 'customer_notice' });
    expect(nextDeadline(incidentDeadlines({ ...classified, severity: 'P3' }, [], now))).toBeNull();
    expect(nextDeadlineText(nextDeadline(deadlines)!, now)).toBe('21 h');
    const late = new Date(now.getTime() + 2 * 24 * H);
    expect(nextDeadlineText(nextDeadline(incidentDeadlines(classified, [], late))!, late)).toBe('late 1 d');
    expect([compactSpan(69 * H), compactSpan(90 * 60_000), compactSpan(12 * 60_000)]).toEqual(['2 d', '1 h', '12 min']);
  });
});
