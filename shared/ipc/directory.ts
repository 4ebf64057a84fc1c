import { z } from 'zod';
import { MemberListSchema } from '../identity/members';
import { SessionSummarySchema } from '../sessions/schemas';

/**
 * Set when the service could not be reached and the answer is the console's
 * offline copy: when that copy was fetched. Views show it and hold back changes.
 */
export const OfflineCopySchema = z.object({ fetchedAt: z.iso.datetime({ offset: true }) }).strict();
export type OfflineCopy = z.infer<typeof OfflineCopySchema>;

export const MemberListOutputSchema = MemberListSchema.extend({ offline: OfflineCopySchema.optional() }).strict();
export type MemberListOutput = z.infer<typeof MemberListOutputSchema>;

export const SessionListOutputSchema = z
  .object({
    items: z.array(SessionSummarySchema),
    /** Paged requests only: the cursor of the next page, null at the end (an offline copy is whole: none). */
    nextCursor: z.string().nullable().optional(),
    offline: OfflineCopySchema.optional(),
  })
  .strict();
export type SessionListOutput = z.infer<typeof SessionListOutputSchema>;
