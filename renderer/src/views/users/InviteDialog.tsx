import { Callout, Dialog, DialogBody, FormGroup, HTMLSelect, InputGroup } from '@blueprintjs/core';
import { ConfirmFooter } from '../../components/ConfirmFooter';
import { EnvelopeIcon } from '@blueprintjs/icons';
import { useState, type FormEvent } from 'react';
import type { InviteCreated } from '../../../../shared/identity/members';
import { TENANT_ROLE_LABELS, TENANT_ROLES, TenantRoleSchema, type TenantRole } from '../../../../shared/identity/roles';
import { EmailSchema } from '../../../../shared/identity/schemas';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { adviceFor } from '../../components/errorAdvice';
import { SecretShownOnce } from '../../components/SecretShownOnce';
import { toErrorShape } from '../../platform/ipcError';
import { useMembersStore } from './membersStore';
import { DateTime } from '../../components/DateTime';

interface Props {
  tenantId: TenantId;
  tenantName: string;
  onClose(): void;
}


/** Shows the token once: closing the dialog forgets it. */
const Created = ({ created, onClose }: { created: InviteCreated; onClose(): void }) => (
  <SecretShownOnce
    summary={
      <>
        Invited {created.member.email} as {TENANT_ROLE_LABELS[created.member.role]}. Hand them this token; it works once and expires{' '}
        <DateTime value={created.expiresAt} />. It is shown only now.
      </>
    }
    label="Invite token"
    value={created.token}
    valueId="invite-token"
    testIdPrefix="invite"
    className="attest-invite-token"
    onClose={onClose}
  />
);

const Form = ({ tenantId, tenantName, onClose }: Props) => {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TenantRole>('viewer');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const [created, setCreated] = useState<InviteCreated | null>(null);
  const valid = EmailSchema.safeParse(email.trim()).success;
  if (created) return <Created created={created} onClose={onClose} />;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setBusy(true);
    setError(null);
    useMembersStore
      .getState()
      .invite(tenantId, email.trim(), role)
      .then(setCreated, (e: unknown) => {
        setError(toErrorShape(e));
        setBusy(false);
      });
  };
  return (
    <form onSubmit={onSubmit} data-testid="invite-dialog">
      <DialogBody>
        <p>Invite someone to {tenantName}. They accept with the token and a password, then enrol MFA at their first sign-in.</p>
        {error && (
          <Callout compact intent="danger" className="attest-inline-callout" data-testid="invite-error" data-code={error.code}>
            {error.message} {adviceFor(error.code)}
          </Callout>
        )}
        <FormGroup label="Email" labelFor="invite-email">
          {/* eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: focus goes to the first field (WAI-ARIA dialog pattern) */}
          <InputGroup id="invite-email" type="email" autoFocus value={email} onValueChange={setEmail} data-testid="invite-email" />
        </FormGroup>
        <FormGroup label="Role" labelFor="invite-role">
          <HTMLSelect
            id="invite-role"
            fill
            value={role}
            onChange={(e) => {
              const parsed = TenantRoleSchema.safeParse(e.currentTarget.value);
              if (parsed.success) setRole(parsed.data);
            }}
            data-testid="invite-role"
            options={TENANT_ROLES.map((r) => ({ value: r, label: TENANT_ROLE_LABELS[r] }))}
          />
        </FormGroup>
      </DialogBody>
      <ConfirmFooter onCancel={onClose} busy={busy} confirm={{ text: 'Invite', disabled: !valid, testId: 'invite-submit' }} />
    </form>
  );
};

export const InviteDialog = (props: Props & { isOpen: boolean }) => (
  <Dialog isOpen={props.isOpen} onClose={props.onClose} title="Invite member" icon={<EnvelopeIcon />} className="attest-invite">
    {props.isOpen && <Form {...props} />}
  </Dialog>
);
