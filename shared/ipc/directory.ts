import { z } from 'zod';
import { MemberListSchema } from '../identity/members';
import { SessionSummarySchema } from '../sessions/schemas';

/**
 * Set when the service could not be reached and the answer is the console's
 * offline copy: when that copy was fetched. Views show it and hold back changes.
 */
/**
 * Set when the offline copy holds only the start of a list (members by email, sessions newest sign-in
 * first): the console keeps at most `bound` rows of one list, so a sync's time and the copy's memory
 * stay bounded. `kept` rows are in the copy; the service holds more.
 */
export const OfflineCutSchema = z
  .object({ reason: z.literal('row_bound'), kept: z.number().int().nonnegative(), bound: z.number().int().positive() })
  .strict();
export type OfflineCut = z.infer<typeof OfflineCutSchema>;

export const OfflineCopySchema = z.object({ fetchedAt: z.iso.datetime({ offset: true }), cut: OfflineCutSchema.optional() }).strict();
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
