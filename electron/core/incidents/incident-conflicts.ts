import type { TimelineEntry } from '../../../shared/incidents/incident';
import type { ConflictChoice, IncidentConflict, ResolveConflictInput } from '../../../shared/ipc/incidents';
import { CoreError } from '../core-error';
import type { OutboxJournal } from '../offline/outbox-journal';
import type { Replica } from '../offline/replica-database';
import type { OutboxRecord } from './outbox-records';

/** Timeline entries that change an incident's fields (and so move its version). */
const FIELD_CHANGES: ReadonlySet<TimelineEntry['kind']> = new Set(['status_change', 'severity_change', 'assignment', 'details_change']);

/** The latest field change the offline copy knows of (after the pull that followed the conflict): who moved the incident on. */
const theirChange = (replica: Replica, conflict: IncidentConflict): IncidentConflict['theirChange'] => {
  const entry = replica
    .timeline(conflict.incidentId)
    .filter((e) => FIELD_CHANGES.has(e.kind))
    .at(-1);
  return entry ? { at: entry.at, actorId: entry.actorId, entry } : null;
};

/**
 * The edits the service refused since the outbox was last opened, by the edit's outbox seq:
 * each waits for the user's answer, which is journaled like an edit.
 */
export interface IncidentConflicts {
  readonly size: number;
  set(conflict: IncidentConflict): void;
  delete(seq: number): void;
  countFor(incidentId: string): number;
  /** An incident's conflicts, each with who moved the incident on as the replica knows it now. */
  shownFor(replica: Replica, incidentId: string): IncidentConflict[];
  /** Journals (fsyncs) the user's answer to a conflict before anything is sent; the next push applies it once. */
  resolve(input: ResolveConflictInput, files: { outbox: OutboxJournal<OutboxRecord>; replica: Replica }, at: string): Promise<void>;
}

export function createIncidentConflicts(): IncidentConflicts {
  const conflicts = new Map<number, IncidentConflict>();
  return {
    get size() {
      return conflicts.size;
    },
    set: (conflict) => void conflicts.set(conflict.seq, conflict),
    delete: (seq) => void conflicts.delete(seq),
    countFor: (incidentId) => [...conflicts.values()].filter((c) => c.incidentId === incidentId).length,
    shownFor: (replica, incidentId) =>
      [...conflicts.values()].filter((c) => c.incidentId === incidentId).map((c) => ({ ...c, theirChange: theirChange(replica, c) })),
    async resolve(input, { outbox, replica }, at) {
      const { seq } = input;
      const choice: ConflictChoice = input.choice;
      const conflict = conflicts.get(seq);
      if (!conflict) throw new CoreError('not_found', 'No such conflict: it may have been resolved already.');
      if (conflict.edit.kind === 'declare' && choice !== 'keep_theirs') {
        throw new CoreError('invalid_input', 'The service refused this declaration: drop it, then declare the incident again with corrected facts.');
      }
      const baseVersion = conflict.theirs?.version ?? replica.incident(conflict.incidentId)?.version ?? 0;
      // Journaled (fsynced) before anything is sent: a crash after this line still applies the answer, once.
      await outbox.append(
        input.choice === 'merge_notes' ? { type: 'resolution', ofSeq: seq, choice, baseVersion, at, text: input.text } : { type: 'resolution', ofSeq: seq, choice, baseVersion, at },
      );
      conflicts.delete(seq);
    },
  };
}
