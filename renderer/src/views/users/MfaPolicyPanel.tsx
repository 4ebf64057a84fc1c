import { Button, Callout, Classes, Dialog, DialogBody, FormGroup, HTMLSelect, Switch, Tag, TextArea } from '@blueprintjs/core';
import { ConfirmFooter } from '../../components/ConfirmFooter';
import { ShieldIcon } from '@blueprintjs/icons';
import { useState, type FormEvent } from 'react';
import { RemediationPlanSchema, type MfaCounts, type MfaPolicyState } from '../../../../shared/identity/members';
import type { Member } from '../../../../shared/identity/schemas';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { adviceFor } from '../../components/errorAdvice';
import { toErrorShape, toIpcError } from '../../platform/ipcError';
import { useMembersStore } from './membersStore';
import { DateField } from '../../components/DateField';
import { parseDayText } from '../../platform/dateTimeInput';

interface Props {
  tenantId: TenantId;
  policy: MfaPolicyState;
  counts: MfaCounts;
  /** Candidates for the plan's owner (the page of members the view holds). */
  members: readonly Member[];
  canChange: boolean;
}

const PlanDialog = ({ tenantId, members, plan, onClose }: { tenantId: TenantId; members: readonly Member[]; plan: MfaPolicyState['remediationPlan']; onClose(): void }) => {
  const active = members.filter((m) => m.status === 'active');
  const [ownerUserId, setOwner] = useState(plan?.ownerUserId ?? active[0]?.userId ?? '');
  const [targetDate, setTargetDate] = useState(plan?.targetDate ?? '');
  const [compensatingControls, setControls] = useState(plan?.compensatingControls ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const typedDay = parseDayText(targetDate);
  // The day as read (spaces around it dropped), so a day the field accepts never leaves the button off unexplained.
  const parsed = RemediationPlanSchema.safeParse({ ownerUserId, targetDate: typedDay.ok ? typedDay.day : targetDate, compensatingControls });
  // Said once something was typed; an empty field only keeps the button off.
  const dayProblem = targetDate.trim() !== '' && !typedDay.ok ? typedDay.message : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!parsed.success) return;
    setBusy(true);
    setError(null);
    useMembersStore
      .getState()
      .setPolicy(tenantId, { mfaRequired: false, remediationPlan: parsed.data })
      .then(onClose, (e: unknown) => {
        setError(toErrorShape(e));
        setBusy(false);
      });
  };
  return (
    <Dialog isOpen onClose={onClose} title="MFA not enforced: remediation plan" icon={<ShieldIcon />}>
      <form onSubmit={onSubmit} data-testid="mfa-plan-dialog">
        <DialogBody>
          <p>Members without MFA can sign in with a password alone while enforcement is off. Record who gets the tenant to enforcement, by when, and what compensates meanwhile.</p>
          {error && (
            <Callout compact intent="danger" className="attest-inline-callout" data-testid="mfa-plan-error" data-code={error.code}>
              {error.code === 'step_up_required' ? 'This needs a current authenticator code; it was not confirmed.' : `${error.message} ${adviceFor(error.code)}`}
            </Callout>
          )}
          <FormGroup label="Owner" labelFor="mfa-plan-owner">
            <HTMLSelect
              id="mfa-plan-owner"
              fill
              // eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: focus goes to the first field (WAI-ARIA dialog pattern)
              autoFocus
              value={ownerUserId}
              onChange={(e) => setOwner(e.currentTarget.value)}
              options={active.map((m) => ({ value: m.userId, label: m.displayName || m.email }))}
            />
          </FormGroup>
          <FormGroup label="Target date" labelFor="mfa-plan-date" intent={dayProblem ? 'danger' : 'none'} helperText={dayProblem && `Target date: ${dayProblem}.`}>
            <DateField id="mfa-plan-date" value={targetDate} intent={dayProblem ? 'danger' : 'none'} onChange={setTargetDate} data-testid="mfa-plan-date" />
          </FormGroup>
          <FormGroup label="Compensating controls" labelFor="mfa-plan-controls">
            <TextArea id="mfa-plan-controls" fill rows={3} value={compensatingControls} onChange={(e) => setControls(e.currentTarget.value)} data-testid="mfa-plan-controls" />
          </FormGroup>
        </DialogBody>
        <ConfirmFooter onCancel={onClose} busy={busy} confirm={{ text: 'Turn enforcement off', intent: 'danger', disabled: !parsed.success, testId: 'mfa-plan-submit' }} />
      </form>
    </Dialog>
  );
};

/** The tenant's MFA enforcement, the enrolment counts, and (while off) the remediation plan beside it. */
export const MfaPolicyPanel = ({ tenantId, policy, counts, members, canChange }: Props) => {
  const [planning, setPlanning] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const owner = members.find((m) => m.userId === policy.remediationPlan?.ownerUserId);
  const enforce = () => {
    setError(null);
    useMembersStore
      .getState()
      .setPolicy(tenantId, { mfaRequired: true })
      .catch((e: unknown) => setError(toIpcError(e)));
  };
  return (
    <div className="attest-mfa-policy" data-testid="mfa-policy">
      <Switch
        inline
        checked={policy.mfaRequired}
        disabled={!canChange}
        label="Enforce MFA"
        data-testid="mfa-policy-switch"
        onChange={() => (policy.mfaRequired ? setPlanning(true) : enforce())}
      />
      <span data-testid="mfa-counts">
        <Tag minimal intent="success">{counts.enrolled} enrolled</Tag> <Tag minimal intent={counts.notEnrolled > 0 ? 'warning' : 'none'}>{counts.notEnrolled} not enrolled</Tag>{' '}
        <Tag minimal>{counts.invited} invited</Tag>
      </span>
      {!policy.mfaRequired &&
        (policy.remediationPlan ? (
          <span className={Classes.TEXT_SMALL} data-testid="mfa-plan">
            Plan: {owner ? owner.displayName || owner.email : 'owner'} by <time dateTime={policy.remediationPlan.targetDate}>{policy.remediationPlan.targetDate}</time> —{' '}
            {policy.remediationPlan.compensatingControls}
            {canChange && <Button size="small" variant="minimal" text="Edit" onClick={() => setPlanning(true)} />}
          </span>
        ) : (
          <Tag intent="danger" minimal>
            Off without a remediation plan
          </Tag>
        ))}
      {error && (
        <Tag intent="danger" minimal data-testid="mfa-policy-error" data-code={error.code}>
          {error.code === 'step_up_required' ? 'Not confirmed' : error.message}
        </Tag>
      )}
      {planning && <PlanDialog tenantId={tenantId} members={members} plan={policy.remediationPlan} onClose={() => setPlanning(false)} />}
    </div>
  );
};
