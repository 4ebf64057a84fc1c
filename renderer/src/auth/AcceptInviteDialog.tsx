import { Button, Callout, Dialog, DialogBody, DialogFooter } from '@blueprintjs/core';
import { ConfirmFooter } from '../components/ConfirmFooter';
import { EnvelopeIcon } from '@blueprintjs/icons';
import { useState, type FormEvent } from 'react';
import { InviteTokenSchema } from '../../../shared/identity/members';
import { TENANT_ROLE_LABELS } from '../../../shared/identity/roles';
import type { IpcErrorShape, IpcOutput } from '../../../shared/ipc/contract';
import { adviceFor } from '../components/errorAdvice';
import { toErrorShape } from '../platform/ipcError';
import { getBridge } from '../platform/platform';
import { useTenantsStore } from '../views/tenants/tenantsStore';
import { inviteAdvice, inviteTokenProblem } from './acceptInviteModel';
import { useAuthStore } from './authStore';
import { InviteTokenField } from './InviteTokenField';

type Accepted = IpcOutput<'invites.accept'>;

const Done = ({ accepted, onClose }: { accepted: Accepted; onClose(): void }) => {
  const tenantName = useAuthStore((s) => (s.state?.step === 'signed_in' ? s.state.me.memberships.find((m) => m.tenantId === accepted.tenantId)?.tenantName : undefined));
  return (
    <>
      <DialogBody>
        <Callout compact intent="success" data-testid="accept-invite-done">
          You are now {TENANT_ROLE_LABELS[accepted.role]} in {tenantName ?? 'the tenant'}.
        </Callout>
      </DialogBody>
      {/* eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: focus goes to its one action (WAI-ARIA dialog pattern) */}
      <DialogFooter actions={<Button intent="primary" text="Done" autoFocus onClick={onClose} data-testid="accept-invite-close" />} />
    </>
  );
};

const Form = ({ onClose }: { onClose(): void }) => {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const [accepted, setAccepted] = useState<Accepted | null>(null);
  if (accepted) return <Done accepted={accepted} onClose={onClose} />;
  const problem = inviteTokenProblem(token);
  const valid = InviteTokenSchema.safeParse(token.trim()).success;
  const advice = error ? (inviteAdvice(error, { signedIn: true }) ?? { title: error.message, next: adviceFor(error.code) }) : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setBusy(true);
    setError(null);
    getBridge()
      .invoke('invites.accept', { token: token.trim() })
      .then(
        (value) => {
          setAccepted(value);
          void useTenantsStore.getState().load();
        },
        (e: unknown) => {
          setError(toErrorShape(e));
          setBusy(false);
        },
      );
  };
  return (
    <form onSubmit={onSubmit} data-testid="accept-invite-dialog">
      <DialogBody>
        <p>Paste the invitation token you were given. It joins the account you are signed in as to the tenant that invited you.</p>
        {advice && error && (
          <Callout compact intent="danger" title={advice.title} className="attest-inline-callout" data-testid="accept-invite-error" data-code={error.code}>
            {advice.next}
          </Callout>
        )}
        <InviteTokenField id="accept-invite-token" label="Invitation token" value={token} onChange={setToken} problem={problem ?? null} disabled={busy} />
      </DialogBody>
      <ConfirmFooter onCancel={onClose} busy={busy} confirm={{ text: 'Accept', disabled: !valid, testId: 'accept-invite-submit' }} />
    </form>
  );
};

/** The account menu's "Accept invitation…": an existing account joins a tenant with its own session. */
export const AcceptInviteDialog = ({ isOpen, onClose }: { isOpen: boolean; onClose(): void }) => (
  <Dialog isOpen={isOpen} onClose={onClose} title="Accept invitation" icon={<EnvelopeIcon />}>
    {isOpen && <Form onClose={onClose} />}
  </Dialog>
);
