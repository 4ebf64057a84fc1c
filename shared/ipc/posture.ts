/**
 * IPC shapes of the console's Posture view: the latest evaluation, the stored
 * snapshots, "Evaluate now", and the auditors' evidence export (the core asks
 * where to save and writes the file; the renderer never names a path).
 */
import { z } from 'zod';
import { PostureSchema, PostureSnapshotSchema } from '../posture/api';
import { ControlIdParamSchema, RemediationDeletedSchema, RemediationPlanInputSchema, RemediationPlanSchema } from '../posture/remediation';

/** A tenant's id, or the nil UUID for the platform's own posture (as for audit logs). */
export const PostureScopeSchema = z.uuid();

const Scope = z.object({ tenantId: PostureScopeSchema }).strict();

export const PostureSnapshotsInputSchema = z
  .object({ tenantId: PostureScopeSchema, limit: z.number().int().min(1).max(366).default(90) })
  .strict();

export const PostureExportResultSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('saved'), path: z.string(), controls: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }).strict(),
  z.object({ state: z.literal('cancelled') }).strict(),
]);
export type PostureExportResult = z.infer<typeof PostureExportResultSchema>;

export const postureChannels = {
  /** Every control evaluated now from live evidence (posture.read). */
  'posture.get': { input: Scope, output: PostureSchema },
  /** Stored snapshots, newest first (for the trend chart and the diff). */
  'posture.snapshots': { input: PostureSnapshotsInputSchema, output: z.array(PostureSnapshotSchema) },
  /** Evaluate now and store the snapshot, anchored in the scope's audit log (posture.snapshot). */
  'posture.evaluate': { input: Scope, output: PostureSnapshotSchema },
  /** CSV of controls, status, evidence and mappings for auditors, from a fresh evaluation; saved where the user picks. */
  'posture.exportEvidence': { input: Scope, output: PostureExportResultSchema },
  /** The scope's remediation plans, each with its owner's name (posture.read). */
  'posture.remediations': { input: Scope, output: z.array(RemediationPlanSchema) },
  /** Sets a control's plan, audited by the service (posture.remediate). */
  'posture.setRemediation': {
    input: z.object({ tenantId: PostureScopeSchema, controlId: ControlIdParamSchema, plan: RemediationPlanInputSchema }).strict(),
    output: RemediationPlanSchema,
  },
  'posture.removeRemediation': { input: z.object({ tenantId: PostureScopeSchema, controlId: ControlIdParamSchema }).strict(), output: RemediationDeletedSchema },
} as const;
