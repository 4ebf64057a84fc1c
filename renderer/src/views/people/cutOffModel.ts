import type { CutOffPlan, CutOffPlanItem, CutOffResult, CutOffResultItem } from '../../../../shared/people/schemas';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
type Item = Pick<CutOffPlanItem, 'kind' | 'tenantName' | 'count'>;

/** What an item does, in words, naming its tenant (or the whole account). */
export const describeItem = (item: Item): string => {
  const where = item.tenantName === null ? '' : ` in ${item.tenantName}`;
  switch (item.kind) {
    case 'membership.deactivate':
      return `Deactivate their membership${where}`;
    case 'api_tokens.revoke':
      return item.count ? `Revoke ${plural(item.count, 'live API token')}${where}` : `Revoke their API tokens${where}`;
    case 'sessions.end':
      return item.count ? `End ${plural(item.count, 'live session')}${item.tenantName === null ? ' (every tenant)' : ''}` : 'End their sessions';
    case 'account.lock':
      return 'Lock the whole account: no sign-in, no session, no API token works';
    case 'mfa.reset':
      return 'Reset MFA: clear the authenticator and recovery codes';
  }
};

export const PLAN_LABELS: Record<CutOffPlanItem['plan'], string> = {
  run: 'Will run',
  done: 'Already done',
  refused: 'Not allowed',
  approval: 'Needs approval',
};

export const OUTCOME_LABELS: Record<CutOffResultItem['outcome'], string> = {
  ok: 'Done',
  already: 'Already done',
  failed: 'Failed',
  approval_requested: 'Approval requested',
};

/** Whether confirming would change anything (something runs or asks for approval). */
export const planActs = (plan: CutOffPlan): boolean => plan.items.some((i) => i.plan === 'run' || i.plan === 'approval');

/** The one-line summary of a result: how many items did what. */
export const summarize = (result: CutOffResult): string => {
  const count = (o: CutOffResultItem['outcome']) => result.items.filter((i) => i.outcome === o).length;
  const parts = [
    count('ok') > 0 && `${count('ok')} done`,
    count('already') > 0 && `${count('already')} already so`,
    count('approval_requested') > 0 && `${count('approval_requested')} awaiting another platform admin`,
    count('failed') > 0 && `${count('failed')} failed`,
  ].filter((p): p is string => typeof p === 'string');
  return parts.length === 0 ? 'Nothing to do.' : `${parts.join(', ')}.`;
};

/** A stable key for an item (kind and tenant). */
export const itemKey = (item: Pick<CutOffPlanItem, 'kind' | 'tenantId'>): string => `${item.kind}:${item.tenantId ?? 'account'}`;
