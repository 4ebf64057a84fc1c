/** Request and response shapes of the incident endpoints (see shared/api/endpoints.ts). */
import { z } from 'zod';
import { MultiLineText } from '../common/text';
import { TenantIdSchema } from '../tenants/tenant';
import { DEADLINE_IDS } from './deadline-policy';
import { IncidentEditSchema } from './edits';
import {
  IncidentDescriptionInputSchema,
  IncidentIdSchema,
  IncidentSchema,
  IncidentStatusSchema,
  IncidentTitleInputSchema,
  NoticeKindSchema,
  SeveritySchema,
  TimelineEntrySchema,
  UserRefSchema,
} from './incident';

const Timestamp = z.iso.datetime({ offset: true });

/** What a notice says beyond the incident itself: filled in when the incident is opened. */
export const NoticeFactsSchema = z
  .object({
    likelyImpact: z.string().max(5_000),
    mitigation: z.string().max(5_000),
    contactPoint: z.string().max(500),
  })
  .strict()
  .meta({ id: 'IncidentNoticeFacts' });
export type NoticeFacts = z.infer<typeof NoticeFactsSchema>;

/** The same facts as written when an incident is opened: free text checked (stored facts keep the lenient schema). */
const NoticeFactsInputSchema = z
  .object({
    likelyImpact: MultiLineText.max(5_000),
    mitigation: MultiLineText.max(5_000),
    contactPoint: MultiLineText.max(500),
  })
  .strict();

/**
 * Opening an incident. Facts only: times something happened. Deadlines are
 * computed from the policy and never accepted (the schema is strict).
 */
export const CreateIncidentRequestSchema = z
  .object({
    title: IncidentTitleInputSchema,
    description: IncidentDescriptionInputSchema.default(''),
    severity: SeveritySchema,
    personalData: z.boolean(),
    affectedTenantIds: z.array(TenantIdSchema).max(10_000),
    detectedAt: Timestamp,
    awareAt: Timestamp.nullable().default(null),
    verifiedAt: Timestamp.nullable().default(null),
    commanderId: UserRefSchema.nullable().default(null),
    assigneeIds: z.array(UserRefSchema).max(50).default([]),
    notice: NoticeFactsInputSchema.default({ likelyImpact: '', mitigation: '', contactPoint: '' }),
    /**
     * Chosen by a console that declares the incident offline: the outbox's edits of it name it
     * before the service has seen it, and a resend with the same id and body opens it once.
     */
    id: IncidentIdSchema.optional(),
    /** When the console says it was declared: judged like an edit's time (shared/incidents/edit-time.ts). */
    declaredAt: Timestamp.optional(),
  })
  .strict();
export type CreateIncidentRequest = z.input<typeof CreateIncidentRequestSchema>;

const DeadlineBase = { id: z.enum(DEADLINE_IDS), label: z.string() };
const Running = { ...DeadlineBase, startedAt: Timestamp, dueAt: Timestamp, amberAt: Timestamp, windowSeconds: z.number().int().positive() };

/** A deadline as computed at the service's now (shared/incidents/deadlines.ts). */
export const DeadlineStatusSchema = z
  .discriminatedUnion('state', [
    z.object({ ...DeadlineBase, state: z.literal('not_started'), startsWhen: z.enum(['detectedAt', 'classifiedAt', 'awareAt', 'verifiedAt', 'resolvedAt']) }).strict(),
    z.object({ ...Running, state: z.enum(['pending', 'amber']), remainingMs: z.number() }).strict(),
    z.object({ ...Running, state: z.literal('met'), satisfiedAt: Timestamp }).strict(),
    z.object({ ...Running, state: z.literal('missed'), satisfiedAt: Timestamp.nullable(), lateByMs: z.number() }).strict(),
  ])
  .meta({ id: 'IncidentDeadline' });

/** A notice of one kind to one affected tenant: the live draft until sent, then the text as sent. */
export const IncidentNoticeSchema = z
  .object({
    incidentId: IncidentIdSchema,
    tenantId: TenantIdSchema,
    tenantName: z.string(),
    kind: NoticeKindSchema,
    /** Whether the deadline policy asks for this notice at the incident's current severity and personal-data flag. */
    required: z.boolean(),
    text: z.string(),
    sentAt: Timestamp.nullable(),
    sentBy: UserRefSchema.nullable(),
  })
  .strict()
  .meta({ id: 'IncidentNotice' });
export type IncidentNotice = z.infer<typeof IncidentNoticeSchema>;

export const IncidentSummarySchema = z
  .object({
    incident: IncidentSchema,
    deadlines: z.array(DeadlineStatusSchema),
    overdue: z.boolean(),
  })
  .strict()
  .meta({ id: 'IncidentSummary' });
export type IncidentSummary = z.infer<typeof IncidentSummarySchema>;

export const IncidentListSchema = z.object({ items: z.array(IncidentSummarySchema), now: Timestamp }).strict().meta({ id: 'IncidentList' });
export type IncidentList = z.infer<typeof IncidentListSchema>;

export const IncidentDetailSchema = z
  .object({
    incident: IncidentSchema,
    noticeFacts: NoticeFactsSchema,
    timeline: z.array(TimelineEntrySchema),
    deadlines: z.array(DeadlineStatusSchema),
    overdue: z.boolean(),
    notices: z.array(IncidentNoticeSchema),
    /** The service's clock when the deadlines were computed. */
    now: Timestamp,
  })
  .strict()
  .meta({ id: 'IncidentDetail' });
export type IncidentDetail = z.infer<typeof IncidentDetailSchema>;

/** The path of the incident reads: the tenant whose view it is, or the nil UUID for the platform's (every incident). */
export const IncidentScopeParamsSchema = z.object({ tenantId: TenantIdSchema }).strict();
export const IncidentParamsSchema = IncidentScopeParamsSchema.extend({ incidentId: IncidentIdSchema }).strict();
export const IncidentNoticeParamsSchema = IncidentParamsSchema.extend({ kind: NoticeKindSchema }).strict();
export const IncidentWriteParamsSchema = z.object({ incidentId: IncidentIdSchema }).strict();

const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const IncidentListQuerySchema = z
  .object({
    severity: SeveritySchema.optional(),
    status: IncidentStatusSchema.optional(),
    /** Only incidents with a deadline past due and not met, at the service's now. */
    overdue: Flag.optional(),
  })
  .strict();

/** An edit as sync pushes it: the outbox entry's idempotency key with the edit. */
export const IncidentEditRequestSchema = z.object({ idempotencyKey: z.uuid(), edit: IncidentEditSchema }).strict().meta({ id: 'IncidentEditRequest' });
export type IncidentEditRequest = z.infer<typeof IncidentEditRequestSchema>;

/** What an applied edit returns — the same body however often the same request is resent. */
export const IncidentEditResultSchema = z
  .object({ idempotencyKey: z.uuid(), incident: IncidentSchema, entry: TimelineEntrySchema })
  .strict()
  .meta({ id: 'IncidentEditResult' });
export type IncidentEditResult = z.infer<typeof IncidentEditResultSchema>;

/** The `details` of a 409 edit_conflict: the incident as the service holds it now, for the console's conflict view. */
export const EditConflictDetailsSchema = z.object({ incident: IncidentSchema }).strict().meta({ id: 'IncidentEditConflict' });
export type EditConflictDetails = z.infer<typeof EditConflictDetailsSchema>;

/** A change sequence as text: monotonic across every incident write, in commit order. */
const Cursor = z.string().regex(/^\d{1,16}$/);

export const IncidentChangesQuerySchema = z
  .object({
    /** Changes after this cursor (the previous page's nextCursor); omitted: from the beginning. */
    cursor: Cursor.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

/** One changed incident: its current state, its notices, and the timeline entries added after the cursor. */
export const IncidentChangeSchema = z
  .object({
    incident: IncidentSchema,
    noticeFacts: NoticeFactsSchema,
    newEntries: z.array(TimelineEntrySchema),
    notices: z.array(IncidentNoticeSchema),
  })
  .strict()
  .meta({ id: 'IncidentChange' });
export type IncidentChange = z.infer<typeof IncidentChangeSchema>;

export const IncidentChangesPageSchema = z
  .object({
    items: z.array(IncidentChangeSchema),
    /** Pass as `cursor` next time; equal to the request's cursor when nothing changed. */
    nextCursor: Cursor,
    /** More changes wait beyond this page. */
    more: z.boolean(),
  })
  .strict()
  .meta({ id: 'IncidentChangesPage' });
export type IncidentChangesPage = z.infer<typeof IncidentChangesPageSchema>;

/**
 * A document exported as Markdown. JSON for now: the route table has no non-JSON
 * body yet; once it has, these endpoints answer text/markdown with the same text.
 */
export const MarkdownExportSchema = z
  .object({
    filename: z.string(),
    markdown: z.string(),
    /** What a printed copy's header names: the incident, and the tenant a notice is addressed to (null for the review). */
    incidentTitle: z.string(),
    tenantName: z.string().nullable(),
  })
  .strict()
  .meta({ id: 'MarkdownExport' });
export type MarkdownExport = z.infer<typeof MarkdownExportSchema>;
