import { Alert, Callout, FormGroup, TextArea } from '@blueprintjs/core';
import { DisableIcon } from '@blueprintjs/icons';
import { useState } from 'react';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import { adviceFor } from '../../components/errorAdvice';
import { toIpcError } from '../../platform/ipcError';

/** What the admin is about to end, with the words to confirm it. */
export interface Revocation {
  title: string;
  description: string;
  confirm: string;
  /** Set when the action is a request for approval: the admin must say why (the approver reads it). */
  reasonLabel?: string;
  /** Resolves to what to tell the admin afterwards. */
  run(reason: string): Promise<string>;
}

/** Confirms a revocation; stays open with the error when it fails (a dismissed step-up included). */
export const RevokeSessionsAlert = ({ revocation, onClose }: { revocation: Revocation | null; onClose(outcome: string | null): void }) => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const [reason, setReason] = useState('');
  const close = (outcome: string | null) => {
    setBusy(false);
    setError(null);
    setReason('');
    onClose(outcome);
  };
  const reasonMissing = revocation?.reasonLabel !== undefined && reason.trim() === '';
  return (
    <Alert
      isOpen={revocation !== null}
      intent="danger"
      icon={<DisableIcon />}
      confirmButtonText={revocation?.confirm ?? 'Revoke'}
      cancelButtonText="Cancel"
      loading={busy}
      onCancel={() => close(null)}
      onConfirm={() => {
        if (!revocation || reasonMissing) return;
        setBusy(true);
        setError(null);
        revocation.run(reason.trim()).then(close, (e: unknown) => {
          const { code, message } = toIpcError(e);
          setError({ code, message });
          setBusy(false);
        });
      }}
      canEscapeKeyCancel={!busy}
      className="attest-revoke-alert"
    >
      <div data-testid="revoke-confirm">
        <p className="attest-cell-strong">{revocation?.title}</p>
        <p>{revocation?.description}</p>
        {revocation?.reasonLabel !== undefined && (
          <FormGroup label={revocation.reasonLabel} labelFor="revoke-reason" helperText={reasonMissing ? 'Required: the approver reads it.' : undefined}>
            <TextArea
              id="revoke-reason"
              fill
              // eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Alert, which would focus its frame: focus goes to the first field (WAI-ARIA dialog pattern)
              autoFocus
              maxLength={1000}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              data-testid="revoke-reason"
            />
          </FormGroup>
        )}
        {error && (
          <Callout compact intent="danger" data-testid="revoke-error" data-code={error.code}>
            {error.code === 'step_up_required' ? 'This needs a current authenticator code; nothing was done.' : error.message}{' '}
            {error.code !== 'step_up_required' && adviceFor(error.code)}
          </Callout>
        )}
      </div>
    </Alert>
  );
};
