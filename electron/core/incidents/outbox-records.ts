import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { CreateIncidentRequestSchema } from '../../../shared/incidents/api';
import type { IncidentEdit } from '../../../shared/incidents/edits';
import { describeDetails } from '../../../shared/incidents/details-text';
import type { ConflictChoice } from '../../../shared/ipc/incidents';
import type { OutboxEntry, OutboxJournal } from '../offline/outbox-journal';

/** An incident declared on this console: the request the service opens it from, its id and declaration time chosen here. */
export type DeclaredIncident = z.output<typeof CreateIncidentRequestSchema> & { id: string; declaredAt: string };

/** What the outbox journals: declarations, edits, and the user's answer to a conflict (kept until its edit is applied). */
export type OutboxRecord =
  | { type: 'create'; request: DeclaredIncident }
  | { type: 'edit'; edit: IncidentEdit }
  | { type: 'resolution'; ofSeq: number; choice: ConflictChoice; baseVersion: number; at: string; /** merge_notes: the note as the user left it. */ text?: string };

export type EditEntry = OutboxEntry<OutboxRecord> & { payload: Extract<OutboxRecord, { type: 'edit' }> };
export type CreateEntry = OutboxEntry<OutboxRecord> & { payload: Extract<OutboxRecord, { type: 'create' }> };
export type ResolutionEntry = OutboxEntry<OutboxRecord> & { payload: Extract<OutboxRecord, { type: 'resolution' }> };

/** What sync sends for one outbox edit, and the outbox entries its success acknowledges. */
export interface Pushed {
  request: { idempotencyKey: string; edit: IncidentEdit };
  seqs: number[];
}

/** A UUID derived from an idempotency key: the same resolution resent is the same request. */
export function derivedUuid(key: string, label: string): string {
  const h = createHash('sha256').update(`${key}\n${label}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export const describeEdit = (edit: IncidentEdit): string => {
  switch (edit.kind) {
    case 'note':
      return `note “${edit.text}”`;
    case 'status':
      return `status → ${edit.to}`;
    case 'severity':
      return `severity → ${edit.to}`;
    case 'assignment':
      return `assignment → commander ${edit.commanderId ?? 'none'}, assignees ${edit.assigneeIds.join(', ') || 'none'}`;
    case 'notification_sent':
      return `${edit.notice} notice to ${edit.tenantId} marked sent`;
    case 'details':
      return `details → ${describeDetails(edit.changes)}`;
  }
};

/** The outbox's pending edits in order, and the answers to their conflicts by the edit's seq. */
export const pendingRecords = (
  outbox: OutboxJournal<OutboxRecord>,
): { creates: CreateEntry[]; edits: EditEntry[]; resolutions: Map<number, ResolutionEntry> } => {
  const pending = outbox.pending();
  const resolutions = new Map<number, ResolutionEntry>();
  for (const e of pending) if (e.payload.type === 'resolution') resolutions.set(e.payload.ofSeq, e as ResolutionEntry);
  const creates = pending.filter((e): e is CreateEntry => e.payload.type === 'create');
  const edits = pending.filter((e): e is EditEntry => e.payload.type === 'edit');
  return { creates, edits, resolutions };
};

/** Declarations and edits not yet applied by the service: what the sync status counts as pending. */
export const pendingCount = (outbox: OutboxJournal<OutboxRecord>): number => {
  const { creates, edits } = pendingRecords(outbox);
  return creates.length + edits.length;
};

/** What sync sends for an outbox edit, given the user's answer to its conflict if any. */
export const requestFor = (entry: EditEntry, resolution: ResolutionEntry | undefined): Pushed => {
  const edit = entry.payload.edit;
  if (!resolution) return { request: { idempotencyKey: entry.idempotencyKey, edit }, seqs: [entry.seq] };
  const r = resolution.payload;
  const seqs = [entry.seq, resolution.seq];
  if (r.choice === 'keep_mine' && 'baseVersion' in edit) {
    return { request: { idempotencyKey: derivedUuid(entry.idempotencyKey, `mine:${r.baseVersion}`), edit: { ...edit, baseVersion: r.baseVersion } }, seqs };
  }
  if (r.choice === 'merge_notes' && r.text !== undefined) {
    // The field stays as the service has it; the user's change lives on as their note.
    return { request: { idempotencyKey: derivedUuid(entry.idempotencyKey, `merge:${r.baseVersion}`), edit: { kind: 'note', incidentId: edit.incidentId, at: r.at, text: r.text } }, seqs };
  }
  // Keeping theirs drops the change but records, in the incident's own timeline, what was dropped.
  const text = `Offline edit not applied (kept the service's version ${r.baseVersion}): ${describeEdit(edit)}, made ${edit.at}.`;
  return {
    request: { idempotencyKey: derivedUuid(entry.idempotencyKey, 'theirs'), edit: { kind: 'note', incidentId: edit.incidentId, at: r.at, text } },
    seqs,
  };
};
