import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Incident, TimelineEntry } from '../../shared/incidents/incident';
import { IncidentListOutputSchema } from '../../shared/ipc/incidents';
import { TenantIdSchema } from '../../shared/tenants/tenant';
import { createIncidentConflicts } from '../../electron/core/incidents/incident-conflicts';
import { listView, localView } from '../../electron/core/incidents/incident-views';
import type { OutboxRecord } from '../../electron/core/incidents/outbox-records';
import { openOutboxJournal } from '../../electron/core/offline/outbox-journal';
import { createReplica } from '../../electron/core/offline/replica-database';
import { median, percentile, round, timeSync, type Bench, type BenchResult } from '../harness';
import { BENCH_START, benchIncident } from './bench-incidents';

const INCIDENTS = Number(process.env.INCIDENT_LIST_INCIDENTS ?? 5_000);
const RUNS = 15;
const TENANTS = Array.from({ length: 20 }, (_, t) => TenantIdSchema.parse(`00000000-0000-4000-9000-${String(t).padStart(12, '0')}`));
const ACTOR = '00000000-0000-4000-a000-000000000001';

const incident = (i: number): Incident => benchIncident(i, { commanderId: ACTOR, affectedTenantIds: [TENANTS[i % TENANTS.length]!] });

/** A timeline like the large demo's: a few notes and changes, a notice sent on every other incident. */
const timeline = (inc: Incident, i: number): TimelineEntry[] => {
  const at = (min: number) => new Date(Date.parse(inc.detectedAt) + min * 60_000).toISOString();
  const base = (min: number) => ({ id: randomUUID(), incidentId: inc.id, at: at(min), actorId: ACTOR });
  const entries: TimelineEntry[] = [
    { ...base(1), kind: 'note', text: 'Paged the on-call engineer.' },
    { ...base(2), kind: 'assignment', commanderId: ACTOR, assigneeIds: [ACTOR] },
    { ...base(5), kind: 'note', text: 'Scope being confirmed.' },
  ];
  if (i % 2 === 0) entries.push({ ...base(30), kind: 'notification_sent', notice: 'customer', tenantId: inc.affectedTenantIds[0]! });
  return entries;
};

/**
 * incidents.list-view: what the core does for `incidents.list` on an offline copy of
 * 5,000 incidents (each with its timeline): the local view (pending edits applied),
 * the list projection, and the IPC contract's check of the output. Value: median ms
 * of the whole; baseline: reading the incidents alone (replica.incidents()).
 */
export const incidentListBench: Bench = {
  name: 'incidents.list-view',
  description: 'median ms of the core side of incidents.list (local view + list + output check) on an offline copy of 5,000 incidents; baseline: replica.incidents() alone',
  async run(): Promise<BenchResult[]> {
    const dir = await mkdtemp(join(tmpdir(), 'attest-incident-list-'));
    const replica = await createReplica();
    const outbox = await openOutboxJournal<OutboxRecord>(join(dir, 'outbox.journal'), randomBytes(32));
    try {
      for (let i = 1; i <= INCIDENTS; i++) {
        const inc = incident(i);
        replica.upsertIncident(inc);
        for (const entry of timeline(inc, i)) replica.addTimelineEntry(entry);
      }
      const conflicts = createIncidentConflicts();
      const at = new Date(BENCH_START + (INCIDENTS + 60) * 60_000);
      const time = (work: () => unknown): number[] => timeSync(work, RUNS, 2);
      const phases = {
        local: time(() => localView({ outbox, replica }, ACTOR)),
        list: time(() => listView(localView({ outbox, replica }, ACTOR), conflicts, {}, at)),
        whole: time(() => IncidentListOutputSchema.parse(listView(localView({ outbox, replica }, ACTOR), conflicts, {}, at))),
        // After a write (a sync that changed one incident): the replica parses its incidents again.
        afterWrite: time(() => {
          replica.upsertIncident(incident(1));
          return IncidentListOutputSchema.parse(listView(localView({ outbox, replica }, ACTOR), conflicts, {}, at));
        }),
      };
      // Reading every incident from SQLite, parsed and checked (a write first, so the replica's parsed copy is not used).
      const baseline = time(() => {
        replica.upsertIncident(incident(1));
        return replica.incidents();
      });
      // What the answer costs on its way to the renderer: the bridge sends it as JSON.
      const output = IncidentListOutputSchema.parse(listView(localView({ outbox, replica }, ACTOR), conflicts, {}, at));
      const json = JSON.stringify(output);
      const wire = { stringify: time(() => JSON.stringify(output)), parse: time(() => JSON.parse(json)) };
      const value = median(phases.whole);
      return [
        {
          bench: 'incidents.list-view',
          n: RUNS,
          value: round(value, 1),
          unit: 'ms (median)',
          baseline: round(median(baseline), 1),
          ratio: round(value / median(baseline), 2),
          baseline_is: 'replica.incidents() after a write (read, parse and check every incident)',
          incidents: INCIDENTS,
          median_ms: {
            localView: round(median(phases.local), 1),
            'localView+listView': round(median(phases.list), 1),
            whole_after_a_write: round(median(phases.afterWrite), 1),
            json_stringify: round(median(wire.stringify), 1),
            json_parse: round(median(wire.parse), 1),
          },
          json_bytes: json.length,
          p90_ms: round(percentile(phases.whole, 90), 1),
        },
      ];
    } finally {
      await outbox.close();
      replica.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
