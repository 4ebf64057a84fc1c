import { Alert, Callout } from '@blueprintjs/core';
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
  run(): Promise<number>;
}

/** Confirms a revocation; stays open with the error when it fails (a dismissed step-up included). */
export const RevokeSessionsAlert = ({ revocation, onClose }: { revocation: Revocation | null; onClose(revoked: number | null): void }) => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const close = (revoked: number | null) => {
    setBusy(false);
    setError(null);
    onClose(revoked);
  };
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
        if (!revocation) return;
        setBusy(true);
        setError(null);
        revocation.run().then(close, (e: unknown) => {
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
        {error && (
          <Callout compact intent="danger" data-testid="revoke-error" data-code={error.code}>
            {error.code === 'step_up_required' ? 'Revoking needs a current authenticator code; nothing was revoked.' : error.message}{' '}
            {error.code !== 'step_up_required' && adviceFor(error.code)}
          </Callout>
        )}
      </div>
    </Alert>
  );
};
