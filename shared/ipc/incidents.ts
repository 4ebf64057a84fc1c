import { z } from 'zod';
import {
  CreateIncidentRequestSchema,
  DeadlineStatusSchema,
  IncidentDetailSchema,
  IncidentNoticeSchema,
  NoticeFactsSchema,
} from '../incidents/api';
import {
  ChangeReasonInputSchema,
  IncidentDetailChangesSchema,
  IncidentIdSchema,
  IncidentSchema,
  IncidentStatusSchema,
  NoteTextInputSchema,
  NoticeKindSchema,
  SeveritySchema,
  TimelineEntrySchema,
  UserRefSchema,
} from '../incidents/incident';
import { TenantIdSchema } from '../tenants/tenant';

/**
 * The incident channels. Reads come from the console's replica with the edits
 * not yet synced applied on top, so they work offline; deadlines are computed
 * by shared/incidents/deadlines.ts at the console's clock.
 */
const Timestamp = z.iso.datetime({ offset: true });

export const IncidentListInputSchema = z
  .object({
    severity: SeveritySchema.optional(),
    status: IncidentStatusSchema.optional(),
    overdue: z.boolean().optional(),
    /** Only incidents affecting this tenant (the Tenant page's link). */
    tenantId: TenantIdSchema.optional(),
    /** The first rows only (the list's first screen, before the rest); `total` still counts all that match. */
    limit: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();

export const IncidentListItemSchema = z
  .object({
    incident: IncidentSchema,
    deadlines: z.array(DeadlineStatusSchema),
    overdue: z.boolean(),
    /** Edits of this incident journaled in the outbox and not yet applied by the service. */
    pendingEdits: z.number().int().nonnegative(),
    conflicts: z.number().int().nonnegative(),
    /** Declared on this console and not yet opened on the service. */
    declaredPending: z.boolean(),
  })
  .strict();
export type IncidentListItem = z.infer<typeof IncidentListItemSchema>;

/** Tenant names by id, from the offline copy (its tenants and the incidents' notices): what the list and page show. */
const TenantNamesSchema = z.record(z.string(), z.string());

export const IncidentListOutputSchema = z
  .object({
    items: z.array(IncidentListItemSchema),
    /** How many incidents match the filter: more than `items` when a limit cut them. */
    total: z.number().int().nonnegative(),
    now: Timestamp,
    tenants: TenantNamesSchema,
    /** The commanders' names, from the offline copy's member lists. */
    people: z.record(z.string(), z.string()),
  })
  .strict();

/** A timeline entry as the console shows it: pending until the service has applied it. */
export const ConsoleTimelineEntrySchema = z.object({ entry: TimelineEntrySchema, pending: z.boolean() }).strict();

/** The change the user asked for (kept as typed) and what the service holds now. */
export const IncidentConflictSchema = z
  .object({
    /** The outbox entry that conflicts: what resolveConflict names. */
    seq: z.number().int().positive(),
    incidentId: IncidentIdSchema,
    edit: z.record(z.string(), z.unknown()),
    /** edit_conflict (the incident moved on) or the service's refusal code. */
    code: z.string(),
    message: z.string(),
    theirs: IncidentSchema.nullable(),
    /** The service's latest field change of the incident as the offline copy knows it: when and by whom. */
    theirChange: z.object({ at: Timestamp, actorId: UserRefSchema, entry: TimelineEntrySchema }).strict().nullable(),
  })
  .strict();
export type IncidentConflict = z.infer<typeof IncidentConflictSchema>;

export const IncidentViewSchema = z
  .object({
    incident: IncidentSchema,
    noticeFacts: NoticeFactsSchema,
    timeline: z.array(ConsoleTimelineEntrySchema),
    deadlines: z.array(DeadlineStatusSchema),
    overdue: z.boolean(),
    notices: z.array(IncidentNoticeSchema),
    conflicts: z.array(IncidentConflictSchema),
    /** Names of the people the page mentions (actors, commander, assignees), from the offline copy's member lists. */
    people: z.record(z.string(), z.string()),
    tenants: TenantNamesSchema,
    /** Declared on this console and not yet opened on the service: its clocks are provisional. */
    declaredPending: z.boolean(),
    now: Timestamp,
  })
  .strict();
export type IncidentView = z.infer<typeof IncidentViewSchema>;

/** An edit as the renderer asks for it; the core stamps when, and the version it is based on. */
export const IncidentEditInputSchema = z
  .object({
    incidentId: IncidentIdSchema,
    change: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('note'), text: NoteTextInputSchema }).strict(),
      z.object({ kind: z.literal('status'), to: IncidentStatusSchema, reason: ChangeReasonInputSchema.optional() }).strict(),
      z.object({ kind: z.literal('severity'), to: SeveritySchema, reason: ChangeReasonInputSchema.optional() }).strict(),
      z.object({ kind: z.literal('assignment'), commanderId: UserRefSchema.nullable(), assigneeIds: z.array(UserRefSchema).max(50) }).strict(),
      z.object({ kind: z.literal('notification_sent'), notice: NoticeKindSchema, tenantId: TenantIdSchema }).strict(),
      z.object({ kind: z.literal('details'), changes: IncidentDetailChangesSchema }).strict(),
    ]),
  })
  .strict();
export type IncidentEditInput = z.infer<typeof IncidentEditInputSchema>;

/**
 * Declaring an incident from the console, online or offline: the facts a responder
 * knows at once. The core chooses the incident's id and stamps when it was declared;
 * the service starts the clocks by its own rules once it receives it.
 */
export const DeclareIncidentInputSchema = CreateIncidentRequestSchema.pick({
  title: true,
  description: true,
  severity: true,
  personalData: true,
  affectedTenantIds: true,
  detectedAt: true,
  awareAt: true,
}).strict();
export type DeclareIncidentInput = z.input<typeof DeclareIncidentInputSchema>;

export const DeclareIncidentAckSchema = z.object({ incidentId: IncidentIdSchema, seq: z.number().int().positive(), pending: z.literal(true) }).strict();

/** An edit is saved (journaled and fsynced) before any network call: it is pending until sync applies it. */
export const IncidentEditAckSchema = z.object({ seq: z.number().int().positive(), idempotencyKey: z.uuid(), pending: z.literal(true) }).strict();

export const SyncStatusSchema = z
  .object({
    syncing: z.boolean(),
    pendingEdits: z.number().int().nonnegative(),
    conflicts: z.number().int().nonnegative(),
    lastSyncedAt: Timestamp.nullable(),
    /** Why the last sync stopped short, if it did (service unreachable, replica refused …). */
    problem: z.object({ code: z.string(), message: z.string() }).strict().nullable(),
    /**
     * How far the running sync is, null between syncs: pushing the outbox, pulling incident changes,
     * pulling audit events. `total` is null while unknown (the changes feed never knows it).
     */
    progress: z
      .object({ phase: z.enum(['push', 'incidents', 'audit']), done: z.number().int().nonnegative(), total: z.number().int().nonnegative().nullable() })
      .strict()
      .nullable(),
  })
  .strict();
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

/**
 * The user's answer to a conflict. keep_mine re-applies the edit on the service's
 * version; keep_theirs drops it and notes so in the timeline; merge_notes leaves
 * the field as the service has it and adds the user's (edited) text as a note.
 */
const ConflictSeq = z.number().int().positive();
export const ResolveConflictInputSchema = z.discriminatedUnion('choice', [
  z.object({ seq: ConflictSeq, choice: z.literal('keep_mine') }).strict(),
  z.object({ seq: ConflictSeq, choice: z.literal('keep_theirs') }).strict(),
  z.object({ seq: ConflictSeq, choice: z.literal('merge_notes'), text: NoteTextInputSchema }).strict(),
]);
export type ResolveConflictInput = z.infer<typeof ResolveConflictInputSchema>;
export type ConflictChoice = ResolveConflictInput['choice'];

export const IncidentExportInputSchema = z
  .object({
    incidentId: IncidentIdSchema,
    document: z.enum(['review', 'customer', 'regulator', 'breach']),
    tenantId: TenantIdSchema.optional(),
    format: z.enum(['markdown', 'pdf']).default('markdown'),
  })
  .strict();
/**
 * Markdown is saved where the core chooses, never over an existing file (a taken name gets " (2)"):
 * `path` says where it went (null when nothing was saved). A PDF is printed by the shell when it
 * can (Electron): saved, or not when the user cancels. Browser mode's core cannot
 * print, so it hands the page the document's HTML (text only, nothing secret) to
 * print from a sandboxed frame: printHtml, and saved false.
 */
export const IncidentExportResultSchema = z.discriminatedUnion('format', [
  z.object({ format: z.literal('markdown'), saved: z.boolean(), filename: z.string(), path: z.string().nullable(), markdown: z.string() }).strict(),
  z.object({ format: z.literal('pdf'), saved: z.boolean(), filename: z.string(), path: z.string().nullable(), printHtml: z.string().nullable() }).strict(),
]);

/** A desktop notification the core asks for: a deadline about to be missed, or an incident assigned to you. */
export const IncidentAlertSchema = z
  .object({
    kind: z.enum(['deadline_amber', 'assigned']),
    incidentId: IncidentIdSchema,
    title: z.string(),
    message: z.string(),
    /** The deadline's due time (deadline alerts), for the console to show in its own time format. */
    dueAt: Timestamp.nullable(),
  })
  .strict();
export type IncidentAlert = z.infer<typeof IncidentAlertSchema>;

/** Open this incident in the console (the user clicked its desktop notification). */
export const IncidentOpenSchema = z.object({ incidentId: IncidentIdSchema }).strict();

export const incidentChannels = {
  'incidents.list': { input: IncidentListInputSchema, output: IncidentListOutputSchema },
  'incidents.get': { input: z.object({ incidentId: IncidentIdSchema }).strict(), output: IncidentViewSchema },
  /** Opening needs the service (online only); the new incident joins the replica at once. */
  'incidents.create': { input: CreateIncidentRequestSchema, output: IncidentDetailSchema },
  /** Declare an incident: journaled in the outbox like an edit (works offline), opened on the service by the next sync. */
  'incidents.declare': { input: DeclareIncidentInputSchema, output: DeclareIncidentAckSchema },
  'incidents.edit': { input: IncidentEditInputSchema, output: IncidentEditAckSchema },
  /** Push the outbox, then pull the changes feed. */
  'incidents.sync': { input: z.object({}).strict(), output: SyncStatusSchema },
  'incidents.syncStatus': { input: z.object({}).strict(), output: SyncStatusSchema },
  'incidents.resolveConflict': { input: ResolveConflictInputSchema, output: SyncStatusSchema },
  /** Rebuild the replica from the service (after a refused replica file); the outbox is kept. */
  'incidents.resync': { input: z.object({}).strict(), output: SyncStatusSchema },
  /** The service's Markdown, or a PDF of it, saved where the core chooses (a dialog in Electron); the renderer never names a path. */
  'incidents.export': { input: IncidentExportInputSchema, output: IncidentExportResultSchema },
} as const;
