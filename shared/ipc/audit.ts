/**
 * IPC shapes of the console's audit view: the core verifies the service's log
 * (signatures, consistency and inclusion proofs, whole-log recomputation) and the
 * renderer only sees the results, the events and the alerts.
 */
import { z } from 'zod';
import { Timestamp } from '../common/primitives';
import { MultiLineText } from '../common/text';
import { AUDIT_EXPORT_FORMATS, AuditEventQuerySchema } from '../audit/api';
import { AuditEventSchema } from '../audit/event';
import { SignedTreeHeadSchema } from '../audit/tree-head';


/** A tenant's id, or the nil UUID for the platform's own log. */
export const AuditLogIdSchema = z.uuid();
export const PLATFORM_AUDIT_LOG = '00000000-0000-0000-0000-000000000000';

export const AUDIT_ALERT_CODES = ['audit_integrity_failed', 'audit_key_changed'] as const;

/** Raised by the core when a check fails; stays until dismissed with a note, which is kept. */
export const AuditAlertSchema = z
  .object({
    id: z.uuid(),
    code: z.enum(AUDIT_ALERT_CODES),
    /** null for the service's keys, which are not per tenant. */
    tenantId: AuditLogIdSchema.nullable(),
    message: z.string(),
    /** The first sequence number found bad, when the check could name one. */
    firstBadSeq: z.number().int().positive().nullable(),
    raisedAt: Timestamp,
    dismissal: z.object({ at: Timestamp, note: z.string() }).strict().nullable(),
  })
  .strict();
export type AuditAlert = z.infer<typeof AuditAlertSchema>;

export const AuditKnownKeySchema = z
  .object({ keyId: z.string(), firstSeenAt: Timestamp, createdAt: Timestamp, retiredAt: Timestamp.nullable() })
  .strict();

export const AuditStatusSchema = z
  .object({
    tenantId: AuditLogIdSchema,
    /** The newest tree head whose signature and consistency with the previous one the core checked. */
    verifiedHead: SignedTreeHeadSchema.nullable(),
    verifiedAt: Timestamp.nullable(),
    /** Open and dismissed alerts of this log and of the service's keys, newest first. */
    alerts: z.array(AuditAlertSchema),
    keys: z.array(AuditKnownKeySchema),
    /** Why the status could not be refreshed from the service just now (the stored one is shown). */
    refreshError: z.object({ code: z.string(), message: z.string() }).strict().nullable(),
  })
  .strict();
export type AuditStatus = z.infer<typeof AuditStatusSchema>;

export const AuditStatusInputSchema = z
  .object({ tenantId: AuditLogIdSchema, refresh: z.boolean().default(false) })
  .strict();

export const AuditEventsInputSchema = AuditEventQuerySchema.extend({ tenantId: AuditLogIdSchema }).strict();
export type AuditEventsInput = z.input<typeof AuditEventsInputSchema>;

export const AuditVerifyEventInputSchema = z
  .object({ tenantId: AuditLogIdSchema, seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
  .strict();

export const EventVerificationSchema = z
  .object({
    /** not_covered: the event is newer than the latest verified tree head. */
    state: z.enum(['verified', 'failed', 'not_covered']),
    seq: z.number().int().positive(),
    /** The event as fetched and checked by the core: show this one, not a copy from elsewhere. */
    event: AuditEventSchema.nullable(),
    treeSize: z.number().int().nonnegative().nullable(),
    rootHash: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .strict();
export type EventVerification = z.infer<typeof EventVerificationSchema>;

export const AUDIT_LOG_SOURCES = ['auto', 'service', 'cache'] as const;
export const AuditVerifyLogInputSchema = z
  .object({ tenantId: AuditLogIdSchema, source: z.enum(AUDIT_LOG_SOURCES).default('auto') })
  .strict();

export const VerifyLogResultSchema = z
  .object({
    ok: z.boolean(),
    /** service: downloaded now (and cached); cache: the offline copy of an earlier download. */
    source: z.enum(['service', 'cache']),
    treeSize: z.number().int().nonnegative(),
    rootHash: z.string(),
    eventsChecked: z.number().int().nonnegative(),
    firstBadSeq: z.number().int().positive().nullable(),
    reason: z.string().nullable(),
    durationMs: z.number().nonnegative(),
    finishedAt: Timestamp,
  })
  .strict();
export type VerifyLogResult = z.infer<typeof VerifyLogResultSchema>;

export const AuditDismissAlertInputSchema = z
  .object({
    alertId: z.uuid(),
    note: MultiLineText.trim().min(10, 'say in at least 10 characters what was checked and why it is safe to dismiss').max(4000),
  })
  .strict();

/** An export writes exactly what these filters show in the view (all of them, not only the time range). */
export const AuditExportInputSchema = AuditEventQuerySchema.pick({ from: true, to: true, actor: true, action: true, actionPrefix: true, target: true, outcome: true })
  .extend({ tenantId: AuditLogIdSchema, format: z.enum(AUDIT_EXPORT_FORMATS) })
  .strict();

export const AuditExportResultSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('saved'), path: z.string(), events: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }).strict(),
  z.object({ state: z.literal('cancelled') }).strict(),
]);
export type AuditExportResult = z.infer<typeof AuditExportResultSchema>;

/** Pushed while Verify log or an export runs. */
export const AuditProgressSchema = z
  .object({
    operation: z.enum(['verify', 'export']),
    tenantId: AuditLogIdSchema,
    /** download: events read; locate: searching the first bad event; write: events exported. */
    phase: z.enum(['download', 'locate', 'write']),
    done: z.number().int().nonnegative(),
    /** null when the size is not known in advance. */
    total: z.number().int().nonnegative().nullable(),
  })
  .strict();
export type AuditProgress = z.infer<typeof AuditProgressSchema>;
