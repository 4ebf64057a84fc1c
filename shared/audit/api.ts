/** Request and response shapes of the audit endpoints (see shared/api/endpoints.ts). */
import { z } from 'zod';
import { SingleLineText } from '../common/text';
import { Timestamp, Hex32 } from '../common/primitives';
import type { TenantId } from '../tenants/tenant';
import { AuditActionSchema, AuditEventSchema, AuditOutcomeSchema } from './event';

/** Query strings carry numbers as text. */
const PositiveInt = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const NonNegativeInt = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** The start of an action: lower-case words joined by dots, possibly ending in a dot or a partial word. */
export const AuditActionPrefixSchema = z.string().regex(/^[a-z_]+(\.[a-z_]*)*$/).max(100);

/** The log a path names: a tenant's id, or the nil UUID for the platform's own log (platform roles only). */
export const AuditLogParamsSchema = z.object({ tenantId: z.uuid().transform((s) => s as TenantId) }).strict();

export const AuditEventQuerySchema = z
  .object({
    /** Inclusive lower and exclusive upper bound on `at`. */
    from: Timestamp.optional(),
    to: Timestamp.optional(),
    actor: SingleLineText.min(1).max(200).optional(),
    action: AuditActionSchema.optional(),
    /** Actions starting with this text: `session.` or `session` (every session action), `auth.log`. */
    actionPrefix: AuditActionPrefixSchema.optional(),
    /** Exact target, or a prefix ending in ':' (e.g. `user:`). */
    target: SingleLineText.min(1).max(300).optional(),
    outcome: AuditOutcomeSchema.optional(),
    /** Events with seq greater than this (the previous page's nextCursor). */
    cursor: z.string().regex(/^\d{1,16}$/).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();
export type AuditEventQuery = z.infer<typeof AuditEventQuerySchema>;

export const AuditEventPageSchema = z
  .object({
    items: z.array(AuditEventSchema),
    /** Pass as `cursor` for the next page; null at the end of the log as it stands now. */
    nextCursor: z.string().nullable(),
  })
  .strict()
  .meta({ id: 'AuditEventPage' });
export type AuditEventPage = z.infer<typeof AuditEventPageSchema>;

/** The largest page of GET …/audit/pull: a console filling its replica takes few, large pages. */
export const AUDIT_PULL_MAX_LIMIT = 5000;

export const AuditPullQuerySchema = z
  .object({
    /** Events from this time on (inclusive): the replica's window, given on the first page. */
    from: Timestamp.optional(),
    /** Events with seq greater than this (the previous page's nextCursor). */
    cursor: z.string().regex(/^\d{1,16}$/).optional(),
    limit: z.coerce.number().int().min(1).max(AUDIT_PULL_MAX_LIMIT).default(1000),
  })
  .strict();
export type AuditPullQuery = z.infer<typeof AuditPullQuerySchema>;

export const AuditPullPageSchema = z
  .object({
    items: z.array(AuditEventSchema),
    /** Pass as `cursor` for the next page; null at the end of the log as it stands now. */
    nextCursor: z.string().nullable(),
    /** Events after this page as the log stands now (by sequence number): what is left of the pull. */
    remaining: z.number().int().nonnegative(),
  })
  .strict()
  .meta({ id: 'AuditPullPage' });
export type AuditPullPage = z.infer<typeof AuditPullPageSchema>;

export const InclusionProofQuerySchema = z.object({ seq: PositiveInt, treeSize: PositiveInt }).strict();
export const InclusionProofSchema = z
  .object({
    seq: z.number().int().positive(),
    treeSize: z.number().int().positive(),
    /** Sibling hashes from the leaf up, hex. */
    path: z.array(Hex32),
  })
  .strict()
  .meta({ id: 'InclusionProof' });
export type InclusionProof = z.infer<typeof InclusionProofSchema>;

export const ConsistencyProofQuerySchema = z.object({ from: NonNegativeInt, to: PositiveInt }).strict();
export const ConsistencyProofSchema = z
  .object({ from: z.number().int().nonnegative(), to: z.number().int().positive(), path: z.array(Hex32) })
  .strict()
  .meta({ id: 'ConsistencyProof' });
export type ConsistencyProof = z.infer<typeof ConsistencyProofSchema>;

export const AUDIT_EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export const AuditExportQuerySchema = z
  .object({ format: z.enum(AUDIT_EXPORT_FORMATS), from: Timestamp.optional(), to: Timestamp.optional() })
  .strict();
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export const AuditEventParamsSchema = z.object({ tenantId: z.uuid().transform((s) => s as TenantId), seq: PositiveInt }).strict();
export const PersonalErasureSchema = z
  .object({
    seq: z.number().int().positive(),
    /** False when the event's personal data was already erased (nothing changed). */
    erased: z.boolean(),
  })
  .strict()
  .meta({ id: 'PersonalErasure' });
export type PersonalErasure = z.infer<typeof PersonalErasureSchema>;
