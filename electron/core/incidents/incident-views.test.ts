import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IncidentNotice } from '../../../shared/incidents/api';
import type { Incident, TimelineEntry } from '../../../shared/incidents/incident';
import { sampleIncident } from '../../../shared/incidents/incident.fixture';
import { TenantIdSchema } from '../../../shared/tenants/tenant';
import { createReplica, type Replica } from '../offline/replica-database';
import { createIncidentConflicts } from './incident-conflicts';
import { incidentView, listView, type LocalView } from './incident-views';

const T1 = TenantIdSchema.parse('7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e01');
const T2 = TenantIdSchema.parse('7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e02');
const ACTOR = 'b9f6c1de-0000-4000-8000-000000000001';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const entryId = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
const DETECTED = '2026-03-01T10:00:00.000Z';
const AT = new Date('2026-03-05T10:00:00.000Z');

// P0 on two tenants, classified at 10:10: the customer notice (to both) is due 24 h later.
const incident = (n: number): Incident =>
  sampleIncident({
    id: id(n),
    title: `Incident ${n}`,
    severity: 'P0',
    status: 'triaged',
    affectedTenantIds: [T1, T2],
    detectedAt: DETECTED,
    classifiedAt: '2026-03-01T10:10:00.000Z',
    commanderId: ACTOR,
  });
const sent = (n: number, incidentId: string, tenantId: string, at: string): TimelineEntry => ({
  id: entryId(n),
  incidentId,
  at,
  actorId: ACTOR,
  kind: 'notification_sent',
  notice: 'customer',
  tenantId: TenantIdSchema.parse(tenantId),
});
const note = (n: number, incidentId: string, at: string): TimelineEntry => ({ id: entryId(n), incidentId, at, actorId: ACTOR, kind: 'note', text: 'Looking.' });
const notice = (incidentId: string, tenantId: string, tenantName: string): IncidentNotice => ({
  incidentId,
  tenantId: TenantIdSchema.parse(tenantId),
  tenantName,
  kind: 'customer',
  required: true,
  text: 'We are investigating.',
  sentAt: null,
  sentBy: null,
});

let replica: Replica;
beforeEach(async () => {
  replica = await createReplica();
});
afterEach(() => replica.close());

const local = (pendingEntries = new Map<string, TimelineEntry[]>()): LocalView => ({
  replica,
  incidents: new Map(replica.incidents().map((i) => [i.id, i])),
  pendingEntries,
  pendingCount: new Map([...pendingEntries].map(([k, v]) => [k, v.length])),
  declared: new Set(),
});

describe('the incidents list', () => {
  beforeEach(() => {
    for (let n = 1; n <= 3; n++) replica.upsertIncident(incident(n));
    // 1: both notices sent (one late); 2: one sent, a note; 3: nothing sent.
    replica.addTimelineEntry(sent(1, id(1), T1, '2026-03-01T12:00:00.000Z'));
    replica.addTimelineEntry(sent(2, id(1), T2, '2026-03-02T12:00:00.000Z'));
    replica.addTimelineEntry(note(3, id(2), '2026-03-01T11:00:00.000Z'));
    replica.addTimelineEntry(sent(4, id(2), T1, '2026-03-01T13:00:00.000Z'));
    replica.setNotices(id(1), { likelyImpact: '', mitigation: '', contactPoint: '' }, [notice(id(1), T1, 'Northwind Health'), notice(id(1), T2, 'Stark Logistics')]);
  });

  it('shows the same deadlines as each incident page, synced and pending notices counted', () => {
    const view = local(new Map([[id(3), [sent(5, id(3), T2, '2026-03-01T15:00:00.000Z')]]]));
    const list = listView(view, createIncidentConflicts(), {}, AT);
    expect(list.items.map((i) => i.incident.id)).toEqual([id(1), id(2), id(3)]);
    for (const item of list.items) {
      const page = incidentView(view, createIncidentConflicts(), item.incident.id, AT);
      expect(item.deadlines).toEqual(page?.deadlines);
      expect(item.overdue).toBe(page?.overdue);
    }
    const customer = (n: number) => list.items[n - 1]!.deadlines.find((d) => d.id === 'customer_notice');
    expect(customer(1)).toMatchObject({ state: 'missed', satisfiedAt: '2026-03-02T12:00:00.000Z' });
    expect(customer(2)).toMatchObject({ state: 'missed', satisfiedAt: null });
    expect(list.items.map((i) => i.overdue)).toEqual([false, true, true]);
    expect(list.items[2]!.pendingEdits).toBe(1);
  });

  it('reads no timeline per incident, and names the tenants the notices carry', () => {
    const perIncident = vi.spyOn(replica, 'timeline');
    const list = listView(local(), createIncidentConflicts(), {}, AT);
    expect(perIncident).not.toHaveBeenCalled();
    expect(list.tenants).toEqual({ [T1]: 'Northwind Health', [T2]: 'Stark Logistics' });
  });

  it('names only the tenants of the incidents it lists', () => {
    replica.setNotices(id(2), { likelyImpact: '', mitigation: '', contactPoint: '' }, [notice(id(2), T1, 'Northwind (as on 2)')]);
    const list = listView(local(), createIncidentConflicts(), { overdue: true }, AT);
    expect(list.items.map((i) => i.incident.id)).toEqual([id(2), id(3)]);
    expect(list.tenants).toEqual({ [T1]: 'Northwind (as on 2)' });
  });

  it('gives the first rows of the same order when limited, and counts all that match', () => {
    const whole = listView(local(), createIncidentConflicts(), {}, AT);
    expect(whole.total).toBe(3);
    const first = listView(local(), createIncidentConflicts(), { limit: 2 }, AT);
    expect(first.items).toEqual(whole.items.slice(0, 2));
    expect(first.total).toBe(3);
    // Names follow the rows given: incident 3's notices name no tenant, 1's name both.
    expect(first.tenants).toEqual(whole.tenants);
    const overdue = listView(local(), createIncidentConflicts(), { overdue: true, limit: 1 }, AT);
    expect(overdue.items.map((i) => i.incident.id)).toEqual([id(2)]);
    expect(overdue.total).toBe(2);
    expect(listView(local(), createIncidentConflicts(), { limit: 10 }, AT).items).toEqual(whole.items);
  });
});

describe('the replica read for the list', () => {
  it('groups the notices sent by incident in timeline order, and skips other entries', () => {
    replica.upsertIncident(incident(1));
    replica.upsertIncident(incident(2));
    replica.addTimelineEntry(sent(2, id(1), T2, '2026-03-02T12:00:00.000Z'));
    replica.addTimelineEntry(sent(1, id(1), T1, '2026-03-01T12:00:00.000Z'));
    replica.addTimelineEntry(note(3, id(2), '2026-03-01T11:00:00.000Z'));
    expect(replica.sentNoticesByIncident()).toEqual(
      new Map([
        [
          id(1),
          [
            { notice: 'customer', tenantId: T1, at: '2026-03-01T12:00:00.000Z' },
            { notice: 'customer', tenantId: T2, at: '2026-03-02T12:00:00.000Z' },
          ],
        ],
      ]),
    );
  });

  it('lists the tenants named in notices, of every incident or of one', () => {
    const facts = { likelyImpact: '', mitigation: '', contactPoint: '' };
    replica.setNotices(id(1), facts, [notice(id(1), T1, 'Northwind Health')]);
    replica.setNotices(id(2), facts, [notice(id(2), T2, 'Stark Logistics')]);
    expect(replica.noticeTenantsByIncident()).toEqual(
      new Map([
        [id(1), [{ tenantId: T1, tenantName: 'Northwind Health' }]],
        [id(2), [{ tenantId: T2, tenantName: 'Stark Logistics' }]],
      ]),
    );
    expect(replica.noticeTenantsByIncident(id(2))).toEqual(new Map([[id(2), [{ tenantId: T2, tenantName: 'Stark Logistics' }]]]));
  });
});
