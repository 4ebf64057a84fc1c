import { Callout, Dialog, DialogBody, FormGroup, HTMLSelect } from '@blueprintjs/core';
import { ConfirmFooter } from '../../components/ConfirmFooter';
import { PeopleIcon } from '@blueprintjs/icons';
import { useState, type FormEvent } from 'react';
import type { Member } from '../../../../shared/identity/schemas';
import { TENANT_ROLE_LABELS, TENANT_ROLES, TenantRoleSchema, type TenantRole } from '../../../../shared/identity/roles';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { adviceFor } from '../../components/errorAdvice';
import { toIpcError } from '../../platform/ipcError';
import { useMembersStore } from './membersStore';

interface Props {
  tenantId: TenantId;
  tenantName: string;
  member: Member;
  onClose(): void;
}

const Form = ({ tenantId, tenantName, member, onClose }: Props) => {
  const [role, setRole] = useState<TenantRole>(member.role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (role === member.role) return onClose();
    setBusy(true);
    setError(null);
    useMembersStore
      .getState()
      .changeRole(tenantId, member, role)
      .then(onClose, (e: unknown) => {
        const { code, message } = toIpcError(e);
        setError({ code, message });
        setBusy(false);
      });
  };
  return (
    <form onSubmit={onSubmit} data-testid="change-role-dialog">
      <DialogBody>
        <p>
          {member.displayName || member.email} <span className="bp6-text-muted">({member.email})</span> in {tenantName}.
        </p>
        {error && (
          <Callout compact intent="danger" className="attest-inline-callout" data-testid="change-role-error" data-code={error.code}>
            {error.code === 'step_up_required' ? 'The change needs a current authenticator code; it was not confirmed.' : error.message}{' '}
            {error.code !== 'step_up_required' && adviceFor(error.code)}
          </Callout>
        )}
        <FormGroup label="Role" labelFor="change-role-select">
          <HTMLSelect
            id="change-role-select"
            // eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: focus goes to the first field (WAI-ARIA dialog pattern)
            autoFocus
            fill
            value={role}
            onChange={(e) => {
              const parsed = TenantRoleSchema.safeParse(e.currentTarget.value);
              if (parsed.success) setRole(parsed.data);
            }}
            data-testid="change-role-select"
            options={TENANT_ROLES.map((r) => ({ value: r, label: TENANT_ROLE_LABELS[r] }))}
          />
        </FormGroup>
        <p className="bp6-text-muted">Changing a role is a sensitive action: you may be asked for a current authenticator code.</p>
      </DialogBody>
      <ConfirmFooter onCancel={onClose} busy={busy} confirm={{ text: 'Change role', disabled: role === member.role, testId: 'change-role-submit' }} />
    </form>
  );
};

export const ChangeRoleDialog = (props: Props & { isOpen: boolean }) => (
  <Dialog isOpen={props.isOpen} onClose={props.onClose} title="Change role" icon={<PeopleIcon />} className="attest-change-role">
    {props.isOpen && <Form key={props.member.userId} {...props} />}
  </Dialog>
);
