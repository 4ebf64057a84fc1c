import { Button, Callout, Dialog, DialogBody, FormGroup, HTMLSelect, TextArea } from '@blueprintjs/core';
import { ConfirmFooter } from '../../components/ConfirmFooter';
import { EditIcon } from '@blueprintjs/icons';
import { useEffect, useState } from 'react';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { ControlResult } from '../../../../shared/posture/api';
import { REMEDIATION_STATUSES, type RemediationPlan } from '../../../../shared/posture/remediation';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { useAuthStore } from '../../auth/authStore';
import { adviceFor } from '../../components/errorAdvice';
import { toErrorShape } from '../../platform/ipcError';
import { getBridge } from '../../platform/platform';
import { usePostureStore } from './postureStore';
import { checkDraft, draftOf, ownerChoices, REMEDIATION_STATUS_LABEL, type OwnerChoice, type PlanDraft } from './remediationModel';
import { DateField } from '../../components/DateField';

/** The stored plan (with its owner) and who may own one, loaded when the dialog opens. */
const usePlanContext = (scope: string, tenantId: TenantId | null, controlId: string) => {
  const me = useAuthStore((s) => (s.state?.step === 'signed_in' ? s.state.me : null));
  const [ctx, setCtx] = useState<{ plan: RemediationPlan | undefined; owners: OwnerChoice[] } | null>(null);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  useEffect(() => {
    if (!me) return;
    let live = true;
    const bridge = getBridge();
    Promise.all([
      bridge.invoke('posture.remediations', { tenantId: scope }),
      tenantId ? bridge.invoke('members.list', { tenantId, query: { status: 'active', limit: 500 } }).then((p) => p.items) : Promise.resolve(null),
    ]).then(
      ([plans, members]) => live && setCtx({ plan: plans.find((p) => p.controlId === controlId), owners: ownerChoices(members, me, tenantId === null) }),
      (e: unknown) => live && setError(toErrorShape(e)),
    );
    return () => {
      live = false;
    };
  }, [scope, tenantId, controlId, me]);
  return { ctx, error };
};

const PlanForm = ({ draft, owners, problem, onChange }: { draft: PlanDraft; owners: OwnerChoice[]; problem: { field: keyof PlanDraft; message: string } | null; onChange(d: PlanDraft): void }) => {
  const intent = (f: keyof PlanDraft) => (problem?.field === f ? 'danger' : 'none');
  const helper = (f: keyof PlanDraft, text?: string) => (problem?.field === f ? problem.message : text);
  return (
    <>
      <FormGroup label="Owner" labelFor="plan-owner" intent={intent('ownerUserId')} helperText={helper('ownerUserId', 'An active owner or admin, who answers for the plan.')}>
        <HTMLSelect
          id="plan-owner"
          fill
          value={draft.ownerUserId}
          onChange={(e) => onChange({ ...draft, ownerUserId: e.currentTarget.value })}
          options={[{ value: '', label: 'Choose an owner…' }, ...owners.map((o) => ({ value: o.userId, label: o.label }))]}
          data-testid="plan-owner"
        />
      </FormGroup>
      <FormGroup label="Target date" labelFor="plan-target" intent={intent('targetDate')} helperText={helper('targetDate')}>
        <DateField id="plan-target" value={draft.targetDate} intent={intent('targetDate')} onChange={(text) => onChange({ ...draft, targetDate: text })} data-testid="plan-target" />
      </FormGroup>
      <FormGroup label="Compensating controls" labelFor="plan-compensating" intent={intent('compensatingControls')} helperText={helper('compensatingControls', 'What limits the risk until the control passes. Shown on the trust page.')}>
        <TextArea id="plan-compensating" fill rows={3} maxLength={2000} value={draft.compensatingControls} intent={intent('compensatingControls')} onChange={(e) => onChange({ ...draft, compensatingControls: e.currentTarget.value })} data-testid="plan-compensating" />
      </FormGroup>
      <FormGroup label="Status" labelFor="plan-status">
        <HTMLSelect
          id="plan-status"
          value={draft.status}
          onChange={(e) => onChange({ ...draft, status: e.currentTarget.value as PlanDraft['status'] })}
          options={REMEDIATION_STATUSES.map((s) => ({ value: s, label: REMEDIATION_STATUS_LABEL[s] }))}
          data-testid="plan-status"
        />
      </FormGroup>
    </>
  );
};

const PlanDialog = ({ control, scope, tenantId, onClose }: { control: ControlResult; scope: string; tenantId: TenantId | null; onClose(): void }) => {
  const { ctx, error: loadError } = usePlanContext(scope, tenantId, control.id);
  const [draft, setDraft] = useState<PlanDraft | null>(null);
  const [problem, setProblem] = useState<{ field: keyof PlanDraft; message: string } | null>(null);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const current = draft ?? (ctx ? draftOf(ctx.plan, ctx.owners, new Date()) : null);
  const act = (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    work()
      .then(async () => {
        await usePostureStore.getState().load(scope);
        onClose();
      }, (e: unknown) => setError(toErrorShape(e)))
      .finally(() => setBusy(false));
  };
  const save = () => {
    if (!current) return;
    const checked = checkDraft(current, new Date());
    setProblem(checked.ok ? null : { field: checked.field, message: checked.message });
    if (checked.ok) act(() => getBridge().invoke('posture.setRemediation', { tenantId: scope, controlId: control.id, plan: checked.plan }));
  };
  return (
    <Dialog isOpen title={`Remediation plan: ${control.title}`} onClose={onClose}>
      <DialogBody>
        <div data-testid="plan-dialog">
          {loadError && <Callout intent="warning">Could not load the plan: <code>{loadError.code}</code> {loadError.message} {adviceFor(loadError.code)}</Callout>}
          {current && ctx && <PlanForm draft={current} owners={ctx.owners} problem={problem} onChange={(d) => { setDraft(d); setProblem(null); }} />}
          {error && (
            <Callout compact intent="danger" data-testid="plan-error" data-code={error.code}>
              <code>{error.code}</code> {error.message} {adviceFor(error.code)}
            </Callout>
          )}
        </div>
      </DialogBody>
      <ConfirmFooter
        onCancel={onClose}
        busy={busy}
        confirm={{ text: 'Save plan', disabled: !current, onConfirm: save, testId: 'plan-save' }}
        before={ctx?.plan && <Button intent="danger" variant="minimal" text="Remove plan" disabled={busy} onClick={() => act(() => getBridge().invoke('posture.removeRemediation', { tenantId: scope, controlId: control.id }))} data-testid="plan-remove" />}
      />
    </Dialog>
  );
};

/** "Make a plan…" / "Edit the plan…" on a warning or failing control, for those who may set plans. */
export const RemediationEditor = ({ control, scope, tenantId }: { control: ControlResult; scope: string; tenantId: TenantId | null }) => {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" icon={<EditIcon />} text={control.remediation ? 'Edit the plan…' : 'Make a plan…'} onClick={() => setOpen(true)} data-testid="plan-edit" />
      {open && <PlanDialog control={control} scope={scope} tenantId={tenantId} onClose={() => setOpen(false)} />}
    </>
  );
};
