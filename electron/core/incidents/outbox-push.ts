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
  /** Declarations and edits the service applied, or the user dropped (their outbox entries acknowledged). */
  onApplied: (count: number) => void;
  /** Whether the outbox's owner is still the person signed in: their edits go out under their session only. */
  ownerSignedIn: () => Promise<boolean>;
}

/**
 * Pushes the outbox in order with each edit's idempotency key. An edit the service
 * refuses becomes a conflict, and the later edits of that incident wait behind it;
 * a session or connection problem stops the push (thrown). Returns whether the
 * replica changed.
 */
/** Whether a failure is the service's answer about this request (a conflict to show), not about the session or the link (stop). */
const isRefusal = (error: unknown): error is ServiceError =>
  error instanceof ServiceError && error.status < 500 && !NOT_REACHED_CODES.has(error.code) && !SESSION.has(error.code) && error.status !== 401;

export async function pushOutbox({ client, outbox, replica, conflicts, onProgress, onApplied, ownerSignedIn }: OutboxPush): Promise<boolean> {
  let changed = false;
  const held = new Set<string>();
  const dropped = new Set<string>();
  const { creates, edits, resolutions } = pendingRecords(outbox);
  const total = creates.length + edits.length;
  let done = 0;
  if (total > 0) onProgress({ phase: 'push', done, total });
  const signedIn = async () => {
    if (!(await ownerSignedIn())) throw new CoreError('not_signed_in', 'The author of these offline edits signed out; they wait for their next sign-in.');
  };
  // Declarations first: the edits after them name the incidents they open.
  for (const entry of creates) {
    const { request } = entry.payload;
    const answer = resolutions.get(entry.seq);
    if (answer) {
      // The only answer to a refused declaration is to drop it, with everything made on it.
      dropped.add(request.id);
      const edited = edits.filter((e) => e.payload.edit.incidentId === request.id).flatMap((e) => [e.seq, ...(resolutions.has(e.seq) ? [resolutions.get(e.seq)!.seq] : [])]);
      await outbox.acknowledge([entry.seq, answer.seq, ...edited]);
      conflicts.delete(entry.seq);
      onApplied(1 + edited.length);
      onProgress({ phase: 'push', done: ++done, total });
      continue;
    }
    await signedIn();
    try {
      const detail = await client.call('createIncident', { body: request });
      replica.upsertIncident(detail.incident);
      replica.setNotices(detail.incident.id, detail.noticeFacts, detail.notices);
      for (const e of detail.timeline) replica.addTimelineEntry(e);
      await outbox.acknowledge([entry.seq]);
      onApplied(1);
      conflicts.delete(entry.seq);
      changed = true;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      conflicts.set({ seq: entry.seq, incidentId: request.id, edit: { kind: 'declare', ...request }, code: error.code, message: error.message, theirs: null, theirChange: null });
      held.add(request.id);
    }
    onProgress({ phase: 'push', done: ++done, total });
  }
  for (const entry of edits) {
    const incidentId = entry.payload.edit.incidentId;
    if (dropped.has(incidentId)) continue;
    // Later edits of an incident wait behind its unresolved conflict, so its order holds.
    if (held.has(incidentId)) continue;
    const { request, seqs } = requestFor(entry, resolutions.get(entry.seq));
    await signedIn();
    try {
      const result = await client.call('applyIncidentEdit', { params: { incidentId }, body: request });
      replica.upsertIncident(result.incident);
      replica.addTimelineEntry(result.entry);
      await outbox.acknowledge(seqs);
      onApplied(1);
      conflicts.delete(entry.seq);
      changed = true;
    } catch (error) {
      if (!isRefusal(error)) throw error;
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
    onProgress({ phase: 'push', done: ++done, total });
  }
  return changed;
}
