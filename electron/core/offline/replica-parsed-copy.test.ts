import { describe, expect, it } from 'vitest';
import { sampleIncident } from '../../../shared/incidents/incident.fixture';
import type { TimelineEntry } from '../../../shared/incidents/incident';
import type { TenantId } from '../../../shared/tenants/tenant';
import { createReplica } from './replica-database';

const TENANT = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' as TenantId;
const ACTOR = 'b9f6c1de-0000-4000-8000-000000000001';
const first = sampleIncident({ id: '0b0e1c2d-0000-4000-8000-00000000000a', title: 'First', detectedAt: '2026-11-23T00:00:00.000Z' });
const second = sampleIncident({ id: '0b0e1c2d-0000-4000-8000-00000000000b', title: 'Second', detectedAt: '2026-11-24T00:00:00.000Z' });
const sent = (incidentId: string, id: string): TimelineEntry => ({
  id,
  incidentId,
  at: '2026-11-24T01:00:00.000Z',
  actorId: ACTOR,
  kind: 'notification_sent',
  notice: 'customer',
  tenantId: TENANT,
});

// The replica keeps its incidents parsed between reads (the list reads all of them on every call):
// what it returns must still follow every write, and no reader may change what the others get.
describe('the replica’s parsed incidents', () => {
  it('follow each upsert and removal', async () => {
    const replica = await createReplica();
    replica.upsertIncident(first);
    expect(replica.incidents().map((i) => i.title)).toEqual(['First']);
    replica.upsertIncident(second);
    replica.upsertIncident({ ...first, title: 'First, renamed', version: first.version + 1 });
    expect(replica.incidents().map((i) => i.title)).toEqual(['Second', 'First, renamed']);
    replica.removeIncident(second.id);
    expect(replica.incidents().map((i) => i.title)).toEqual(['First, renamed']);
    replica.close();
  });

  it('cannot be changed by one reader under another', async () => {
    const replica = await createReplica();
    replica.upsertIncident(first);
    const [read] = replica.incidents();
    expect(() => Object.assign(read!, { title: 'Changed in place' })).toThrow(TypeError);
    expect(() => (read!.affectedTenantIds as TenantId[]).push(TENANT)).toThrow(TypeError);
    const list = replica.incidents();
    list.pop();
    expect(replica.incidents().map((i) => i.title)).toEqual(['First']);
    expect(replica.incident(first.id)?.affectedTenantIds).toEqual(first.affectedTenantIds);
    replica.close();
  });

  it('keep the sent notices in step with the timeline and removals', async () => {
    const replica = await createReplica();
    replica.upsertIncident(first);
    replica.upsertIncident(second);
    expect(replica.sentNoticesByIncident().size).toBe(0);
    replica.addTimelineEntry(sent(first.id, 'c0000000-0000-4000-8000-000000000001'));
    replica.addTimelineEntry(sent(second.id, 'c0000000-0000-4000-8000-000000000002'));
    expect([...replica.sentNoticesByIncident().keys()].sort()).toEqual([first.id, second.id]);
    replica.sentNoticesByIncident().delete(first.id);
    expect(replica.sentNoticesByIncident().get(first.id)).toEqual([{ notice: 'customer', tenantId: TENANT, at: '2026-11-24T01:00:00.000Z' }]);
    replica.removeIncident(first.id);
    expect([...replica.sentNoticesByIncident().keys()]).toEqual([second.id]);
    replica.close();
  });
});
