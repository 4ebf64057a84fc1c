import type { Me, Member } from '../../../../shared/identity/schemas';
import { parseDayText } from '../../platform/dateTimeInput';
import { RemediationPlanInputSchema, type RemediationPlan, type RemediationStatus } from '../../../../shared/posture/remediation';

export const REMEDIATION_STATUS_LABEL: Readonly<Record<RemediationStatus, string>> = { open: 'Open', in_progress: 'In progress', done: 'Done' };

export interface OwnerChoice {
  readonly userId: string;
  readonly label: string;
}

/**
 * Who may own a plan, by name: a tenant's active owners and admins (as the service
 * checks it), or for the platform's posture the signed-in staff member.
 */
export const ownerChoices = (members: readonly Member[] | null, me: Me, platform: boolean): OwnerChoice[] => {
  if (platform) return [{ userId: me.user.id, label: me.user.displayName || me.user.email }];
  return (members ?? [])
    .filter((m) => m.status === 'active' && (m.role === 'owner' || m.role === 'admin'))
    .map((m) => ({ userId: m.userId, label: m.displayName ? `${m.displayName} (${m.email})` : m.email }))
    .sort((a, b) => a.label.localeCompare(b.label));
};

export interface PlanDraft {
  ownerUserId: string;
  targetDate: string;
  compensatingControls: string;
  status: RemediationStatus;
}

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** The form's starting point: the stored plan, else a new one owned by the first choice and due in 30 days. */
export const draftOf = (plan: RemediationPlan | undefined, owners: readonly OwnerChoice[], today: Date): PlanDraft =>
  plan
    ? { ownerUserId: plan.ownerUserId, targetDate: plan.targetDate, compensatingControls: plan.compensatingControls, status: plan.status }
    : { ownerUserId: owners[0]?.userId ?? '', targetDate: isoDay(new Date(today.getTime() + 30 * 86_400_000)), compensatingControls: '', status: 'open' };

export type DraftCheck = { ok: true; plan: ReturnType<typeof RemediationPlanInputSchema.parse> } | { ok: false; field: keyof PlanDraft; message: string };

/** The form's own check before sending (the service checks again, and has the last word). */
export const checkDraft = (draft: PlanDraft, today: Date): DraftCheck => {
  if (!draft.ownerUserId) return { ok: false, field: 'ownerUserId', message: 'Choose an owner: an active owner or admin of the tenant.' };
  if (draft.targetDate.trim() === '') return { ok: false, field: 'targetDate', message: 'Enter a target date.' };
  const typed = parseDayText(draft.targetDate);
  if (!typed.ok) return { ok: false, field: 'targetDate', message: `Target date: ${typed.message}.` };
  if (typed.day < isoDay(today) && draft.status !== 'done') return { ok: false, field: 'targetDate', message: 'The target date is in the past: choose today or later.' };
  const parsed = RemediationPlanInputSchema.safeParse({ ...draft, targetDate: typed.day });
  if (!parsed.success) {
    const field = (parsed.error.issues[0]?.path[0] as keyof PlanDraft | undefined) ?? 'compensatingControls';
    return { ok: false, field, message: field === 'compensatingControls' ? 'Say what limits the risk until the control passes (up to 2,000 characters).' : (parsed.error.issues[0]?.message ?? 'Invalid') };
  }
  return { ok: true, plan: parsed.data };
};
