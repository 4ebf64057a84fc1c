import type { AccessReviewSummary } from '../../../../shared/access-reviews/schemas';
import { ACCESS_REVIEW_POLICY } from '../../../../shared/policy/access-reviews';

/** The default due date a new campaign's form shows: quarterly from today (yyyy-mm-dd, local). */
export const defaultDueDate = (today: Date): string => {
  const due = new Date(today.getTime() + ACCESS_REVIEW_POLICY.defaultDue * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${due.getFullYear()}-${pad(due.getMonth() + 1)}-${pad(due.getDate())}`;
};

/** A date input's value as the end of that local day, in ISO form. */
export const endOfDay = (date: string): string => new Date(`${date}T23:59:59`).toISOString();

export type CampaignState = 'overdue' | 'open' | 'closed';

export const campaignState = (r: AccessReviewSummary): CampaignState => (r.status === 'closed' ? 'closed' : r.overdue ? 'overdue' : 'open');

export const progress = (r: AccessReviewSummary): string => `${r.counts.decided} of ${r.counts.memberships} decided`;

/** Overdue first, then open, then closed; newest first within each. */
export const sortCampaigns = (items: readonly AccessReviewSummary[]): AccessReviewSummary[] => {
  const rank: Record<CampaignState, number> = { overdue: 0, open: 1, closed: 2 };
  return [...items].sort((a, b) => rank[campaignState(a)] - rank[campaignState(b)] || b.startedAt.localeCompare(a.startedAt));
};
