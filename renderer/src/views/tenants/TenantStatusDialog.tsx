import { Button, Callout, Dialog, DialogBody, DialogFooter, FormGroup, TextArea } from '@blueprintjs/core';
import { ConfirmFooter } from '../../components/ConfirmFooter';
import { PauseIcon, PlayIcon } from '@blueprintjs/icons';
import { useState, type FormEvent } from 'react';
import type { ApprovalRequest } from '../../../../shared/approvals/schemas';
import { ReasonSchema } from '../../../../shared/approvals/schemas';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { Tenant } from '../../../../shared/tenants/tenant';
import { adviceFor } from '../../components/errorAdvice';
import { toIpcError } from '../../platform/ipcError';
import { useNavigationStore } from '../../shell/navigationStore';
import { useTenantPageStore } from './tenantPageStore';

interface Props {
  tenant: Tenant;
  change: 'suspend' | 'reinstate';
  onClose(): void;
}

const WHAT = {
  suspend:
    'Its members get “tenant suspended” for everything in it until it is reinstated; their sessions stay valid for their other tenants. Data, logs and incident deadlines are kept.',
  reinstate: 'Its members regain access as their roles allow.',
};

/** Suspending or reinstating is a request: another person with the permission approves it (Approvals). */
export const TenantStatusDialog = ({ tenant, change, onClose }: Props) => {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const [requested, setRequested] = useState<ApprovalRequest | null>(null);
  const valid = ReasonSchema.safeParse(reason.trim()).success;
  const verb = change === 'suspend' ? 'Suspend' : 'Reinstate';
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setBusy(true);
    setError(null);
    useTenantPageStore
      .getState()
      .requestStatusChange(tenant.id, tenant.name, change, reason.trim())
      .then(setRequested, (e: unknown) => {
        const { code, message } = toIpcError(e);
        setError({ code, message });
        setBusy(false);
      });
  };
  return (
    <Dialog isOpen onClose={onClose} title={`${verb} ${tenant.name}`} icon={change === 'suspend' ? <PauseIcon /> : <PlayIcon />}>
      {requested ? (
        <>
          <DialogBody>
            <Callout compact intent="primary" data-testid="tenant-status-requested">
              Requested. Nothing changes until another person with the permission approves it in Approvals; the request expires undecided after 24 hours.
            </Callout>
          </DialogBody>
          <DialogFooter
            actions={
              <>
                <Button text="Open Approvals" onClick={() => { onClose(); useNavigationStore.getState().go('approvals'); }} />
                {/* eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: focus goes to its one action (WAI-ARIA dialog pattern) */}
                <Button intent="primary" text="Done" autoFocus onClick={onClose} data-testid="tenant-status-done" />
              </>
            }
          />
        </>
      ) : (
        <form onSubmit={onSubmit} data-testid="tenant-status-dialog">
          <DialogBody>
            <p>{WHAT[change]}</p>
            <p>This asks for a second person’s approval; it does not happen now.</p>
            {error && (
              <Callout compact intent="danger" className="attest-inline-callout" data-testid="tenant-status-error" data-code={error.code}>
                {error.code === 'step_up_required' ? 'This needs a current authenticator code; it was not confirmed.' : `${error.message} ${adviceFor(error.code)}`}
              </Callout>
            )}
            <FormGroup label="Reason" labelFor="tenant-status-reason" helperText="Kept with the request and in both audit logs.">
              {/* eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: focus goes to the first field (WAI-ARIA dialog pattern) */}
              <TextArea id="tenant-status-reason" fill autoFocus rows={3} value={reason} onChange={(e) => setReason(e.currentTarget.value)} disabled={busy} data-testid="tenant-status-reason" />
            </FormGroup>
          </DialogBody>
          <ConfirmFooter
            onCancel={onClose}
            busy={busy}
            confirm={{ text: `Ask to ${verb.toLowerCase()}`, intent: change === 'suspend' ? 'danger' : 'primary', disabled: !valid, testId: 'tenant-status-submit' }}
          />
        </form>
      )}
    </Dialog>
  );
};
