import { z } from 'zod';
import { Timestamp } from '../common/primitives';
import { MultiLineText } from '../common/text';
import { UserIdSchema } from '../identity/schemas';
import { TenantIdSchema } from '../tenants/tenant';


/** Why a sign-in looked unusual for that user (set when its session was created). */
export const SESSION_FLAGS = ['new_device', 'new_ip', 'after_failures'] as const;
export const SessionFlagSchema = z.enum(SESSION_FLAGS);
export type SessionFlag = z.infer<typeof SessionFlagSchema>;

export const SessionIdSchema = z.uuid();

/** What a reviewer made of a flagged sign-in: expected, or suspicious (which also ends the session). */
export const FLAG_REVIEW_OUTCOMES = ['expected', 'suspicious'] as const;
export const FlagReviewOutcomeSchema = z.enum(FLAG_REVIEW_OUTCOMES);
export type FlagReviewOutcome = z.infer<typeof FlagReviewOutcomeSchema>;

export const FlagReviewSchema = z.object({ outcome: FlagReviewOutcomeSchema, reviewedAt: Timestamp }).strict().meta({ id: 'SessionFlagReview' });
export type FlagReview = z.infer<typeof FlagReviewSchema>;

export const FlagReviewRequestSchema = z
  .object({
    outcome: FlagReviewOutcomeSchema,
    /** Why: free text, kept in the audit event's erasable personal part only. */
    note: MultiLineText.trim().max(1000).optional(),
  })
  .strict()
  .meta({ id: 'SessionFlagReviewRequest' });
export type FlagReviewRequest = z.infer<typeof FlagReviewRequestSchema>;

export const FlagReviewResultSchema = z
  .object({
    sessionId: z.uuid(),
    outcome: FlagReviewOutcomeSchema,
    reviewedAt: Timestamp,
    /** Suspicious: the session was ended by this review (false when it had already ended). */
    sessionRevoked: z.boolean(),
  })
  .strict()
  .meta({ id: 'SessionFlagReviewResult' });
export type FlagReviewResult = z.infer<typeof FlagReviewResultSchema>;

/** A live session of a tenant's member, as an admin sees it. */
export const SessionSummarySchema = z
  .object({
    id: SessionIdSchema,
    userId: UserIdSchema,
    email: z.string(),
    displayName: z.string(),
    /** Personal data (device and address): shown to admins, kept out of audit leaves. */
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    createdAt: Timestamp,
    lastSeenAt: Timestamp,
    /** From the tenant policies in force now, not when the session began. */
    idleExpiresAt: Timestamp,
    absoluteExpiresAt: Timestamp,
    /** The session making this request. */
    current: z.boolean(),
    flags: z.array(SessionFlagSchema),
    /** This tenant's review of the flags, when one was made. */
    flagReview: FlagReviewSchema.optional(),
  })
  .strict()
  .meta({ id: 'SessionSummary' });
export type SessionSummary = z.infer<typeof SessionSummarySchema>;

export const SessionListSchema = z
  .object({
    items: z.array(SessionSummarySchema),
    /** Paged lists only (a `limit` or `cursor` was given): pass as `cursor` for the next page; null at the end. */
    nextCursor: z.string().nullable().optional(),
  })
  .strict()
  .meta({ id: 'SessionList' });
export type SessionList = z.infer<typeof SessionListSchema>;

export const SESSION_PAGE_MAX = 1000;
/**
 * The position after a session in one tenant's paged list: its start in microseconds since 1970, its id,
 * the tenant's id, and eight hex digits naming the filter (userId, flagged) the list was asked with.
 */
export const SESSION_CURSOR = /^\d{1,17}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[0-9a-f]{8}$/;

/** Its format is checked where it is read (400 invalid_cursor), with SESSION_CURSOR. */
export const SessionCursorSchema = z.string().min(1).max(120);

export const SessionListQuerySchema = z
  .object({
    userId: UserIdSchema.optional(),
    /** Query strings carry booleans as text. */
    flagged: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    /**
     * Paging, newest sign-in first (a session's start never changes, so pages
     * neither repeat nor skip while people sign in): the previous page's
     * nextCursor, asked with the same userId and flagged (a cursor is bound to its
     * filter: 400 invalid_cursor otherwise). Without `limit` and `cursor`, every
     * session at once, most recently used first.
     */
    cursor: SessionCursorSchema.optional(),
    limit: z.coerce.number().int().min(1).max(SESSION_PAGE_MAX).optional(),
  })
  .strict();
export type SessionListQuery = z.input<typeof SessionListQuerySchema>;

export const SessionParamsSchema = z.object({ tenantId: TenantIdSchema, sessionId: SessionIdSchema }).strict();

/** A session of a tenant's member, or (nil tenant id) of the platform's staff. */
export const FlagReviewParamsSchema = z.object({ tenantId: z.uuid(), sessionId: SessionIdSchema }).strict();

export const RevokedSessionsSchema = z
  .object({ revoked: z.number().int().nonnegative() })
  .strict()
  .meta({ id: 'RevokedSessions' });
export type RevokedSessions = z.infer<typeof RevokedSessionsSchema>;
