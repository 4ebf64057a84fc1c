import type { AccessReviewItem, AccessReviewSummary } from '../../../../shared/access-reviews/schemas';
import { TENANT_ROLES, type TenantRole } from '../../../../shared/identity/roles';
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

const isUpgrade = (from: TenantRole, to: TenantRole | null): boolean => to !== null && TENANT_ROLES.indexOf(to) < TENANT_ROLES.indexOf(from);

/**
 * Why Close cannot run now, as the service would refuse it (it checks again on the members as they
 * are then), or null when it can: said beside the disabled button instead of after a click.
 */
export const closeBlocker = (items: readonly AccessReviewItem[], meId: string): string | null => {
  const undecided = items.filter((i) => i.decision === null);
  if (undecided.length > 0) {
    const onlyMine = undecided.length === 1 && undecided[0]!.userId === meId;
    return onlyMine
      ? 'Your own membership still needs a decision, by another owner, admin or reviewer.'
      : `${undecided.length} membership${undecided.length === 1 ? '' : 's'} still need${undecided.length === 1 ? 's' : ''} a decision.`;
  }
  if (items.some((i) => i.decidedBy?.userId === meId && (i.decision === 'remove' || (i.decision === 'change_role' && isUpgrade(i.role, i.newRole))))) {
    return 'You decided removals or role upgrades here: another owner or admin must close it.';
  }
  const owners = items.filter((i) => i.decision !== 'remove' && (i.decision === 'change_role' ? i.newRole : i.role) === 'owner').length;
  if (owners < 1) return 'Closing would leave the tenant without an owner: keep one.';
  return null;
};

/** The undecided memberships "Keep all undecided" would keep: all but one's own. */
export const keepable = (items: readonly AccessReviewItem[], meId: string): number => items.filter((i) => i.decision === null && i.userId !== meId).length;
