import { z } from 'zod';
import { CONTROL_STATUSES, EvidenceSchema, TRUST_SECTIONS } from './control';
import { RemediationStatusSchema } from './remediation';

/** The plan a warning or failing control carries (service/posture/remediation-repository.ts). Names no person. */
export const RemediationSchema = z
  .object({
    targetDate: z.iso.date(),
    compensatingControls: z.string(),
    updatedAt: z.iso.datetime(),
    status: RemediationStatusSchema,
    /** The plan has an owner who may still act on it (an active member who may manage posture, or platform staff); never who. */
    ownerAssigned: z.boolean(),
    /** The target date has passed while the control still warns or fails and the plan is not done. */
    overdue: z.boolean(),
  })
  .strict();
export type Remediation = z.infer<typeof RemediationSchema>;

export const ControlResultSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    section: z.enum(TRUST_SECTIONS),
    status: z.enum(CONTROL_STATUSES),
    evidence: EvidenceSchema,
    mappings: z.object({ soc2: z.array(z.string()), iso27001: z.array(z.string()), gdpr: z.array(z.string()) }).strict(),
    remediation: RemediationSchema.optional(),
  })
  .strict();
export type ControlResult = z.infer<typeof ControlResultSchema>;

/** One evaluation of every control, for a tenant or for the platform (the nil tenant id). */
export const PostureSchema = z
  .object({
    tenantId: z.uuid(),
    catalogueVersion: z.number().int(),
    evaluatedAt: z.iso.datetime(),
    controls: z.array(ControlResultSchema),
  })
  .strict();
export type Posture = z.infer<typeof PostureSchema>;

/** A stored evaluation: its SHA-256 (canonical JSON of `posture`) is the `posture.snapshot` event at `auditSeq` of the same log. */
export const PostureSnapshotSchema = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    takenAt: z.iso.datetime(),
    catalogueVersion: z.number().int(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    auditSeq: z.number().int().positive(),
    posture: PostureSchema,
  })
  .strict();
export type PostureSnapshot = z.infer<typeof PostureSnapshotSchema>;

export const PostureSnapshotListSchema = z.object({ items: z.array(PostureSnapshotSchema) }).strict();

export const PostureSnapshotQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(366).default(90) }).strict();
