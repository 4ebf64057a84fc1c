import { z } from 'zod';
import { ReasonSchema } from '../approvals/schemas';
import { UserIdSchema } from '../identity/schemas';
import { CutOffPlanSchema, CutOffResultSchema, PeopleSearchQuerySchema, PersonMatchSchema, PersonSchema } from '../people/schemas';

/** The person page and the command palette's people (issue 14). */
export const peopleChannels = {
  /** People by name or email among the tenants the caller administers (platform staff: everyone). */
  'people.search': { input: z.object({ q: PeopleSearchQuerySchema.shape.q }).strict(), output: z.array(PersonMatchSchema) },
  /** One person as the caller may see them: memberships, live sessions, API tokens, MFA, recent audit events. */
  'people.get': { input: z.object({ userId: UserIdSchema }).strict(), output: PersonSchema },
  /** What "Cut off access" would do, item by item, within the caller's authority (changes nothing). */
  'people.cutOffPlan': { input: z.object({ userId: UserIdSchema }).strict(), output: CutOffPlanSchema },
  /** Step-up. Runs the cut-off; each item's result (a failure does not hide the others). */
  'people.cutOff': { input: z.object({ userId: UserIdSchema, reason: ReasonSchema }).strict(), output: CutOffResultSchema },
} as const;
