import { Button, Callout, Classes, Dialog, DialogBody, DialogFooter, FormGroup, Icon, ProgressBar, Spinner, Tag, TextArea, type Intent } from '@blueprintjs/core';
import { BanCircleIcon } from '@blueprintjs/icons';
import { useState, type FormEvent } from 'react';
import { ReasonSchema } from '../../../../shared/approvals/schemas';
import type { CutOffPlanItem, CutOffResultItem } from '../../../../shared/people/schemas';
import { adviceFor } from '../../components/errorAdvice';
import { describeItem, itemKey, OUTCOME_LABELS, PLAN_LABELS, planActs, summarize } from './cutOffModel';
import { usePersonPageStore } from './personPageStore';

const PLAN_INTENT: Record<CutOffPlanItem['plan'], Intent> = { run: 'danger', done: 'none', refused: 'warning', approval: 'primary' };
const OUTCOME: Record<CutOffResultItem['outcome'], { intent: Intent; icon: 'tick-circle' | 'minus' | 'error' | 'time' }> = {
  ok: { intent: 'success', icon: 'tick-circle' },
  already: { intent: 'none', icon: 'minus' },
  failed: { intent: 'danger', icon: 'error' },
  approval_requested: { intent: 'primary', icon: 'time' },
};

const DEFAULT_REASON = 'Suspected account compromise';

function PlanList({ items }: { items: readonly CutOffPlanItem[] }) {
  return (
    <ul className="attest-cut-off-items" data-testid="cut-off-plan">
      {items.map((item) => (
        <li key={itemKey(item)} data-testid="cut-off-plan-item" data-kind={item.kind} data-plan={item.plan}>
          <Tag minimal intent={PLAN_INTENT[item.plan]} className="attest-cut-off-tag">
            {PLAN_LABELS[item.plan]}
          </Tag>
          <span className="attest-cut-off-what">{describeItem(item)}</span>
          {item.reason && <div className={`${Classes.TEXT_MUTED} attest-cut-off-reason`}>{item.reason}</div>}
        </li>
      ))}
    </ul>
  );
}

function ResultList({ items }: { items: readonly CutOffResultItem[] }) {
  return (
    <ul className="attest-cut-off-items" data-testid="cut-off-results">
      {items.map((item) => (
        <li key={itemKey(item)} data-testid="cut-off-result" data-kind={item.kind} data-outcome={item.outcome}>
          <Icon icon={OUTCOME[item.outcome].icon} intent={OUTCOME[item.outcome].intent} aria-hidden />
          <span className="attest-cut-off-outcome">{OUTCOME_LABELS[item.outcome]}</span>
          <span className="attest-cut-off-what">{describeItem(item)}</span>
          {item.reason && (
            <div className={`${Classes.TEXT_MUTED} attest-cut-off-reason`} data-code={item.code ?? ''}>
              {item.reason}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

/** "Cut off access": the plan within the caller's authority, one confirmation (and step-up), then each item's result. */
export function CutOffDialog({ userId, who }: { userId: string; who: string }) {
  const cutOff = usePersonPageStore((s) => s.cutOff);
  const { confirmCutOff, closeCutOff } = usePersonPageStore.getState();
  const [reason, setReason] = useState(DEFAULT_REASON);
  const valid = ReasonSchema.safeParse(reason.trim()).success;
  if (cutOff.step === 'closed') return null;
  const running = cutOff.step === 'running';
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (valid && cutOff.step === 'confirm') void confirmCutOff(userId, reason.trim(), who);
  };
  const plan = 'plan' in cutOff ? cutOff.plan : null;
  const acts = plan !== null && planActs(plan);
  return (
    <Dialog isOpen onClose={running ? undefined : closeCutOff} title={`Cut off access for ${who}`} icon={<BanCircleIcon />} className="attest-cut-off-dialog">
      <form onSubmit={onSubmit} data-testid="cut-off-dialog">
        <DialogBody>
          {cutOff.step === 'planning' && <Spinner size={20} aria-label="Reading what would happen" />}
          {plan && cutOff.step !== 'done' && (
            <>
              <p>
                {plan.scope === 'platform'
                  ? 'As platform staff, this acts on the whole account, in every tenant:'
                  : 'Within your authority (your tenants only), this will:'}
              </p>
              <PlanList items={plan.items} />
            </>
          )}
          {cutOff.step === 'confirm' && acts && plan.items.some((i) => i.plan === 'approval') && (
            <FormGroup label="Reason" labelFor="cut-off-reason" helperText="Kept with the approval request another platform admin decides.">
              <TextArea id="cut-off-reason" fill rows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="cut-off-reason" />
            </FormGroup>
          )}
          {cutOff.step === 'confirm' && !acts && <Callout compact>Nothing left to do within your authority.</Callout>}
          {running && <ProgressBar intent="danger" aria-label="Cutting off access" />}
          {cutOff.step === 'done' && (
            <>
              <Callout compact intent={cutOff.result.items.some((i) => i.outcome === 'failed') ? 'warning' : 'success'} data-testid="cut-off-summary">
                {summarize(cutOff.result)}
              </Callout>
              <ResultList items={cutOff.result.items} />
            </>
          )}
          {cutOff.step === 'error' && (
            <Callout compact intent="danger" data-testid="cut-off-error" data-code={cutOff.error.code}>
              {cutOff.error.code === 'step_up_required'
                ? 'Not confirmed: this needs a current authenticator code. Nothing was changed.'
                : `${cutOff.error.message} ${adviceFor(cutOff.error.code)}`}
            </Callout>
          )}
        </DialogBody>
        <DialogFooter
          actions={
            cutOff.step === 'confirm' && acts ? (
              <>
                <Button text="Cancel" onClick={closeCutOff} />
                {/* eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: focus goes to its one action (WAI-ARIA dialog pattern) */}
                <Button type="submit" intent="danger" text="Cut off access" disabled={!valid} autoFocus data-testid="cut-off-confirm" />
              </>
            ) : (
              // eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: when the cut-off is done, focus goes to Close
              <Button text="Close" onClick={closeCutOff} disabled={running} autoFocus={cutOff.step === 'done'} data-testid="cut-off-close" />
            )
          }
        />
      </form>
    </Dialog>
  );
}
