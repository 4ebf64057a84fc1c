import { EditConflictDetailsSchema } from '../../../shared/incidents/api';
import type { SyncStatus } from '../../../shared/ipc/incidents';
import type { ServiceClient } from '../client/service-client';
import { NOT_REACHED_CODES } from '../client/not-reached';
import { ServiceError } from '../client/service-error';
import { CoreError } from '../core-error';
import type { OutboxJournal } from '../offline/outbox-journal';
import type { Replica } from '../offline/replica-database';
import type { IncidentConflicts } from './incident-conflicts';
import { pendingRecords, requestFor, type OutboxRecord } from './outbox-records';

/** Codes about the session, not the edit: sync stops and waits for a sign-in. */
const SESSION = new Set(['auth_required', 'invalid_token', 'session_expired', 'session_revoked', 'not_signed_in', 'step_up_required', 'rate_limited', 'service_unavailable']);

export interface OutboxPush {
  client: Pick<ServiceClient, 'call'>;
  outbox: OutboxJournal<OutboxRecord>;
  replica: Replica;
  conflicts: IncidentConflicts;
  /** Each edit's progress as it is answered. */
  onProgress: (progress: NonNullable<SyncStatus['progress']>) => void;
  /** An edit the service applied (its outbox entries acknowledged). */
  onApplied: () => void;
  /** Whether the outbox's owner is still the person signed in: their edits go out under their session only. */
  ownerSignedIn: () => Promise<boolean>;
}

/**
 * Pushes the outbox in order with each edit's idempotency key. An edit the service
 * refuses becomes a conflict, and the later edits of that incident wait behind it;
 * a session or connection problem stops the push (thrown). Returns whether the
 * replica changed.
 */
export async function pushOutbox({ client, outbox, replica, conflicts, onProgress, onApplied, ownerSignedIn }: OutboxPush): Promise<boolean> {
  let changed = false;
  const held = new Set<string>();
  const { edits, resolutions } = pendingRecords(outbox);
  let done = 0;
  if (edits.length > 0) onProgress({ phase: 'push', done, total: edits.length });
  for (const entry of edits) {
    const incidentId = entry.payload.edit.incidentId;
    // Later edits of an incident wait behind its unresolved conflict, so its order holds.
    if (held.has(incidentId)) continue;
    const { request, seqs } = requestFor(entry, resolutions.get(entry.seq));
    if (!(await ownerSignedIn())) throw new CoreError('not_signed_in', 'The author of these offline edits signed out; they wait for their next sign-in.');
    try {
      const result = await client.call('applyIncidentEdit', { params: { incidentId }, body: request });
      replica.upsertIncident(result.incident);
      replica.addTimelineEntry(result.entry);
      await outbox.acknowledge(seqs);
      onApplied();
      conflicts.delete(entry.seq);
      changed = true;
    } catch (error) {
      if (!(error instanceof ServiceError) || error.status >= 500 || NOT_REACHED_CODES.has(error.code) || SESSION.has(error.code) || error.status === 401) throw error;
      const details = EditConflictDetailsSchema.safeParse(error.details);
      conflicts.set({
        seq: entry.seq,
        incidentId,
        edit: request.edit as unknown as Record<string, unknown>,
        code: error.code,
        message: error.message,
        theirs: details.success ? details.data.incident : replica.incident(incidentId),
        theirChange: null,
      });
      held.add(incidentId);
    }
    onProgress({ phase: 'push', done: ++done, total: edits.length });
  }
  return changed;
}
