import { z } from 'zod';
import { TenantIdSchema } from '../tenants/tenant';
import type { EditTimes } from './edit-time';
import { deadlineMoves, isDowngrade, owedNotices } from './deadline-moves';
import {
  applyStatusChange,
  ChangeReasonInputSchema,
  IncidentDetailChangesSchema,
  IncidentIdSchema,
  IncidentStatusSchema,
  NoteTextInputSchema,
  NoticeKindSchema,
  SeveritySchema,
  UserRefSchema,
  type DetailField,
  type Incident,
  type IncidentDetails,
  type SentNotice,
  type StatusChangeProblem,
  type TimelineEntry,
} from './incident';

/**
 * The edits a responder makes to an incident, online or offline: what the outbox
 * journals and sync pushes. `at` is when the device says the responder made it: a
 * claim. The service keeps its own receipt time too and decides which one counts
 * (shared/incidents/edit-time.ts): an offline edit keeps its time only back to the
 * session's last sync. Field edits carry the incident version they were based on
 * and conflict when it moved on; notes and sent notices are facts that only
 * append, so they never do.
 */
const Timestamp = z.iso.datetime({ offset: true });
const editBase = { incidentId: IncidentIdSchema, at: Timestamp };
const BaseVersion = z.number().int().nonnegative();

export const IncidentEditSchema = z
  .discriminatedUnion('kind', [
    z.object({ ...editBase, kind: z.literal('note'), text: NoteTextInputSchema }).strict(),
    z.object({ ...editBase, kind: z.literal('status'), baseVersion: BaseVersion, to: IncidentStatusSchema, reason: ChangeReasonInputSchema.optional() }).strict(),
    z.object({ ...editBase, kind: z.literal('severity'), baseVersion: BaseVersion, to: SeveritySchema, reason: ChangeReasonInputSchema.optional() }).strict(),
    z
      .object({
        ...editBase,
        kind: z.literal('assignment'),
        baseVersion: BaseVersion,
        commanderId: UserRefSchema.nullable(),
        assigneeIds: z.array(UserRefSchema).max(50),
      })
      .strict(),
    z.object({ ...editBase, kind: z.literal('notification_sent'), notice: NoticeKindSchema, tenantId: TenantIdSchema }).strict(),
    z
      .object({
        ...editBase,
        kind: z.literal('details'),
        baseVersion: BaseVersion,
        /** Only the fields being changed. */
        changes: IncidentDetailChangesSchema,
      })
      .strict(),
  ])
  .meta({ id: 'IncidentEdit' });
export type IncidentEdit = z.infer<typeof IncidentEditSchema>;

export type EditProblem =
  | StatusChangeProblem
  | 'wrong_incident'
  | 'version_conflict'
  | 'same_severity'
  | 'tenant_not_affected'
  | 'same_details'
  | 'time_before_detection'
  /** A severity downgrade without a reason. */
  | 'downgrade_reason_required'
  /** Resolving while notices the policy asks for are unsent, without a reason. */
  | 'unsent_notices_reason_required';

const iso = (t: string): string => new Date(t).toISOString();
const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

/**
 * The incident with the details changed, and each changed field before and after.
 * Times are stored in one form (UTC, ms); tenants as a sorted set. Flagging personal
 * data with no awareness time stamps awareness at the edit: the regulator clock
 * starts when someone knows, and the edit is when they said so.
 */
export function applyDetailsChange(
  incident: Incident,
  changes: IncidentDetails,
  at: string,
): { next: Incident; from: IncidentDetails; to: IncidentDetails } | 'same_details' | 'time_before_detection' {
  const next: Incident = { ...incident };
  const from: Record<string, unknown> = {};
  const to: Record<string, unknown> = {};
  const set = <K extends DetailField>(field: K, value: Incident[K]) => {
    from[field] = incident[field];
    to[field] = value;
    next[field] = value;
  };
  if (changes.title !== undefined && changes.title !== incident.title) set('title', changes.title);
  if (changes.description !== undefined && changes.description !== incident.description) set('description', changes.description);
  if (changes.affectedTenantIds !== undefined) {
    const tenants = [...new Set(changes.affectedTenantIds)].sort();
    if (!sameSet(tenants, incident.affectedTenantIds)) set('affectedTenantIds', tenants);
  }
  if (changes.personalData !== undefined && changes.personalData !== incident.personalData) set('personalData', changes.personalData);
  for (const field of ['awareAt', 'verifiedAt'] as const) {
    const value = changes[field];
    if (value === undefined) continue;
    const normal = value === null ? null : iso(value);
    if (normal !== incident[field]) set(field, normal);
  }
  if (next.personalData && next.awareAt === null) set('awareAt', iso(at));
  if (Object.keys(to).length === 0) return 'same_details';
  const detected = Date.parse(incident.detectedAt);
  for (const field of ['awareAt', 'verifiedAt'] as const) {
    const t = next[field];
    if (field in to && t !== null && Date.parse(t) < detected) return 'time_before_detection';
  }
  return { next, from: from as IncidentDetails, to: to as IncidentDetails };
}

/** What a status or severity entry keeps beside from and to: the reason given, and the deadlines it moved. */
const changeFacts = (reason: string | undefined, moves: ReturnType<typeof deadlineMoves>) => ({
  ...(reason === undefined ? {} : { reason }),
  ...(moves.length === 0 ? {} : { deadlineMoves: moves }),
});

export interface AppliedEdit {
  readonly incident: Incident;
  readonly entry: TimelineEntry;
}

/**
 * The incident after an edit and the timeline entry that records it, or why the
 * edit is refused. Pure: the service applies it in its transaction with the times
 * it judged (`by.times`: the time that counts stamps the incident and the entry,
 * both claimed and received times go on the entry); the core applies it to its
 * replica while offline, where the edit's own time is all there is.
 * Only field edits move the version.
 */
export function applyIncidentEdit(
  incident: Incident,
  edit: IncidentEdit,
  by: { entryId: string; actorId: string; times?: EditTimes; /** Notices sent so far: what resolving checks and moved deadlines skip. */ sent?: readonly SentNotice[] },
): AppliedEdit | EditProblem {
  if (edit.incidentId !== incident.id) return 'wrong_incident';
  const at = by.times?.at ?? edit.at;
  const common = {
    id: by.entryId,
    incidentId: incident.id,
    at,
    ...(by.times ? { recordedAt: by.times.recordedAt, receivedAt: by.times.receivedAt } : {}),
    actorId: by.actorId,
  };
  if ('baseVersion' in edit && edit.baseVersion !== incident.version) return 'version_conflict';
  const sent = by.sent ?? [];
  const changed = (next: Incident): Incident => ({ ...next, version: incident.version + 1, updatedAt: by.times?.receivedAt ?? at });
  switch (edit.kind) {
    case 'note':
      return { incident, entry: { ...common, kind: 'note', text: edit.text } };
    case 'notification_sent':
      if (incident.affectedTenantIds.length > 0 && !incident.affectedTenantIds.includes(edit.tenantId)) return 'tenant_not_affected';
      return { incident, entry: { ...common, kind: 'notification_sent', notice: edit.notice, tenantId: edit.tenantId } };
    case 'status': {
      const next = applyStatusChange(incident, edit.to, at);
      if (typeof next === 'string') return next;
      if (edit.to === 'resolved' && edit.reason === undefined && owedNotices(incident, sent).length > 0) return 'unsent_notices_reason_required';
      const facts = changeFacts(edit.reason, deadlineMoves(incident, next, sent));
      return { incident: changed(next), entry: { ...common, kind: 'status_change', from: incident.status, to: edit.to, ...facts } };
    }
    case 'severity': {
      if (edit.to === incident.severity) return 'same_severity';
      if (isDowngrade(incident.severity, edit.to) && edit.reason === undefined) return 'downgrade_reason_required';
      const next = { ...incident, severity: edit.to };
      const facts = changeFacts(edit.reason, deadlineMoves(incident, next, sent));
      return { incident: changed(next), entry: { ...common, kind: 'severity_change', from: incident.severity, to: edit.to, ...facts } };
    }
    case 'assignment':
      return {
        incident: changed({ ...incident, commanderId: edit.commanderId, assigneeIds: [...edit.assigneeIds] }),
        entry: { ...common, kind: 'assignment', commanderId: edit.commanderId, assigneeIds: [...edit.assigneeIds] },
      };
    case 'details': {
      const d = applyDetailsChange(incident, edit.changes, at);
      if (typeof d === 'string') return d;
      return { incident: changed(d.next), entry: { ...common, kind: 'details_change', from: d.from, to: d.to } };
    }
  }
}
