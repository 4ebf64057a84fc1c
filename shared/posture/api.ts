import { z } from 'zod';
import { CONTROL_STATUSES, EvidenceSchema, TRUST_SECTIONS } from './control';

export const ControlResultSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    section: z.enum(TRUST_SECTIONS),
    status: z.enum(CONTROL_STATUSES),
    evidence: EvidenceSchema,
    mappings: z.object({ soc2: z.array(z.string()), iso27001: z.array(z.string()), gdpr: z.array(z.string()) }).strict(),
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
