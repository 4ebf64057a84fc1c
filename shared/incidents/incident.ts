import { z } from 'zod';
import { MultiLineText, SingleLineText } from '../common/text';
import { Timestamp } from '../common/primitives';
import { TenantIdSchema } from '../tenants/tenant';
import { DEADLINE_IDS } from './deadline-ids';


export const SEVERITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

export const INCIDENT_STATUSES = ['detected', 'triaged', 'contained', 'resolved', 'review_published'] as const;
export const IncidentStatusSchema = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatusSchema>;

/** A closed incident can be reopened; it goes back to triaged (it has been classified already). */
export const CLOSED_STATUSES: readonly IncidentStatus[] = ['resolved', 'review_published'];

/**
 * Every status change an incident may make. Triaged may go straight to resolved
 * (a false alarm needs no containment); anything else moves one step forward,
 * and closed incidents reopen to triaged.
 */
export const STATUS_TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  detected: ['triaged'],
  triaged: ['contained', 'resolved'],
  contained: ['resolved'],
  resolved: ['review_published', 'triaged'],
  review_published: ['triaged'],
};

export const canTransition = (from: IncidentStatus, to: IncidentStatus): boolean => STATUS_TRANSITIONS[from].includes(to);

export const isReopen = (from: IncidentStatus, to: IncidentStatus): boolean => CLOSED_STATUSES.includes(from) && !CLOSED_STATUSES.includes(to);

export const IncidentIdSchema = z.uuid();
export const UserRefSchema = z.uuid();

export const IncidentSchema = z
  .object({
    id: IncidentIdSchema,
    title: z.string().trim().min(1).max(200),
    description: z.string().max(20_000),
    severity: SeveritySchema,
    status: IncidentStatusSchema,
    commanderId: UserRefSchema.nullable(),
    assigneeIds: z.array(UserRefSchema).max(50),
    affectedTenantIds: z.array(TenantIdSchema).max(10_000),
    personalData: z.boolean(),
    /** When the problem was detected: the classification clock starts here. */
    detectedAt: Timestamp,
    /** When the operator became aware of a personal-data breach: the regulator clock starts here. */
    awareAt: Timestamp.nullable(),
    /** When the breach was verified: the breach-notice clock starts here. */
    verifiedAt: Timestamp.nullable(),
    /** When the incident was first triaged (severity confirmed): customer-notice clocks start here. */
    classifiedAt: Timestamp.nullable(),
    /** When it was last resolved; cleared by a reopen, set again by the next resolve. */
    resolvedAt: Timestamp.nullable(),
    reviewPublishedAt: Timestamp.nullable(),
    /** Increases with every change; an offline edit carries the version it was based on. */
    version: z.number().int().nonnegative(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .strict()
  .meta({ id: 'Incident' });
export type Incident = z.infer<typeof IncidentSchema>;

export const NOTICE_KINDS = ['customer', 'regulator', 'breach'] as const;
export const NoticeKindSchema = z.enum(NOTICE_KINDS);
export type NoticeKind = z.infer<typeof NoticeKindSchema>;

export const TIMELINE_KINDS = ['note', 'status_change', 'severity_change', 'assignment', 'notification_sent', 'details_change'] as const;

/**
 * The facts of an incident that may be corrected after it was opened (verification
 * time is usually learnt later): any subset, as a details edit and its entry carry them.
 */
export const IncidentDetailsSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(20_000),
    affectedTenantIds: z.array(TenantIdSchema).max(10_000),
    personalData: z.boolean(),
    awareAt: Timestamp.nullable(),
    verifiedAt: Timestamp.nullable(),
  })
  .partial()
  .strict();
export type IncidentDetails = z.infer<typeof IncidentDetailsSchema>;

/** A new incident's title, description and notes as they are written (stored ones keep the lenient schemas above). */
export const IncidentTitleInputSchema = SingleLineText.trim().min(1).max(200);
export const IncidentDescriptionInputSchema = MultiLineText.max(20_000);
export const NoteTextInputSchema = MultiLineText.trim().min(1).max(20_000);

/** The fields a details edit changes: any non-empty subset, free text checked as written. */
export const IncidentDetailChangesSchema = IncidentDetailsSchema.extend({
  title: IncidentTitleInputSchema.optional(),
  description: IncidentDescriptionInputSchema.optional(),
}).refine((c) => Object.keys(c).length > 0, 'Name at least one field to change.');
export const DETAIL_FIELDS = ['title', 'description', 'affectedTenantIds', 'personalData', 'awareAt', 'verifiedAt'] as const;
export type DetailField = (typeof DETAIL_FIELDS)[number];

/** A deadline a change moved, as its entry records it (shared/incidents/deadline-moves.ts). */
const DeadlinePointSchema = z.union([z.object({ due: Timestamp }).strict(), z.enum(['not_started', 'not_required'])]);
export const DeadlineMoveSchema = z
  .object({ id: z.enum(DEADLINE_IDS), from: DeadlinePointSchema, to: DeadlinePointSchema })
  .strict();

/** Why a downgrade, or a resolve with notices unsent, was made: required for those, kept on the entry. */
export const ChangeReasonInputSchema = SingleLineText.trim().min(1, 'Give a reason.').max(500);
const changeFacts = { reason: z.string().max(500).optional(), deadlineMoves: z.array(DeadlineMoveSchema).max(10).optional() };

const entryBase = {
  id: z.uuid(),
  incidentId: IncidentIdSchema,
  /** The time that counts (shared/incidents/edit-time.ts): the recorded time of an offline edit within its window, else the receipt. */
  at: Timestamp,
  /** When the device says it was made. Absent only on an edit the console has not pushed yet. */
  recordedAt: Timestamp.optional(),
  /** When the service received it. Absent only on an edit the console has not pushed yet. */
  receivedAt: Timestamp.optional(),
  actorId: UserRefSchema,
};

export const TimelineEntrySchema = z
  .discriminatedUnion('kind', [
    z.object({ ...entryBase, kind: z.literal('note'), text: z.string().trim().min(1).max(20_000) }).strict(),
    z.object({ ...entryBase, kind: z.literal('status_change'), from: IncidentStatusSchema, to: IncidentStatusSchema, ...changeFacts }).strict(),
    z.object({ ...entryBase, kind: z.literal('severity_change'), from: SeveritySchema, to: SeveritySchema, ...changeFacts }).strict(),
    z
      .object({
        ...entryBase,
        kind: z.literal('assignment'),
        commanderId: UserRefSchema.nullable(),
        assigneeIds: z.array(UserRefSchema).max(50),
      })
      .strict(),
    z
      .object({
        ...entryBase,
        kind: z.literal('notification_sent'),
        notice: NoticeKindSchema,
        tenantId: TenantIdSchema,
      })
      .strict(),
    /** Facts corrected after opening: each changed field's value before and after. */
    z.object({ ...entryBase, kind: z.literal('details_change'), from: IncidentDetailsSchema, to: IncidentDetailsSchema }).strict(),
  ])
  .meta({ id: 'IncidentTimelineEntry' });
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
export type TimelineKind = TimelineEntry['kind'];

/** A notice recorded as sent: what stamps a notice deadline. */
export interface SentNotice {
  readonly notice: NoticeKind;
  readonly tenantId: string;
  readonly at: string;
}

export const sentNotices = (timeline: readonly TimelineEntry[]): SentNotice[] =>
  timeline.flatMap((e) => (e.kind === 'notification_sent' ? [{ notice: e.notice, tenantId: e.tenantId, at: e.at }] : []));

export type StatusChangeProblem = 'same_status' | 'transition_not_allowed';

/**
 * The incident after a status change at `at`, or why the change is refused. The
 * first triage stamps classification; resolving stamps resolution; a reopen clears
 * resolution and review so their clocks start again at the next resolve.
 */
export function applyStatusChange(incident: Incident, to: IncidentStatus, at: string): Incident | StatusChangeProblem {
  if (incident.status === to) return 'same_status';
  if (!canTransition(incident.status, to)) return 'transition_not_allowed';
  const next: Incident = { ...incident, status: to };
  if (to === 'triaged' && next.classifiedAt === null) next.classifiedAt = at;
  if (to === 'resolved') next.resolvedAt = at;
  if (to === 'review_published') next.reviewPublishedAt = at;
  if (isReopen(incident.status, to)) {
    next.resolvedAt = null;
    next.reviewPublishedAt = null;
  }
  return next;
}
