import { Alert, Callout } from '@blueprintjs/core';
import { useState } from 'react';
import type { Member } from '../../../../shared/identity/schemas';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { adviceFor } from '../../components/errorAdvice';
import { toIpcError } from '../../platform/ipcError';
import { useMembersStore } from './membersStore';

export type MemberAction = 'deactivate' | 'reactivate' | 'resetMfa';

const COPY: Readonly<Record<MemberAction, { confirm: string; intent: 'danger' | 'primary'; says: (who: string, tenant: string) => string }>> = {
  deactivate: {
    confirm: 'Deactivate',
    intent: 'danger',
    says: (who, tenant) => `${who} loses access to ${tenant}. All of their sessions end now, in every tenant; they sign in again for the others.`,
  },
  reactivate: { confirm: 'Reactivate', intent: 'primary', says: (who, tenant) => `${who} gets their access to ${tenant} back with their current role.` },
  resetMfa: {
    confirm: 'Reset MFA',
    intent: 'danger',
    says: (who) => `${who}'s authenticator and recovery codes are cleared and their sessions end. At their next sign-in they must enrol a new authenticator.`,
  },
};

/** Confirms a member action; the service may then ask for a current authenticator code (step-up). */
export const MemberActionAlert = ({
  action,
  member,
  tenantId,
  tenantName,
  onClose,
}: {
  action: MemberAction;
  member: Member;
  tenantId: TenantId;
  tenantName: string;
  onClose(): void;
}) => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const copy = COPY[action];
  const run = () => {
    setBusy(true);
    setError(null);
    const store = useMembersStore.getState();
    store[action](tenantId, member).then(onClose, (e: unknown) => {
        const { code, message } = toIpcError(e);
        setError({ code, message });
        setBusy(false);
      });
  };
  return (
    <Alert
      isOpen
      canEscapeKeyCancel
      cancelButtonText="Cancel"
      confirmButtonText={copy.confirm}
      intent={copy.intent}
      loading={busy}
      onCancel={onClose}
      onConfirm={run}
      className="attest-member-action"
    >
      <p data-testid="member-action-text">{copy.says(member.displayName || member.email, tenantName)}</p>
      {error && (
        <Callout compact intent="danger" data-testid="member-action-error" data-code={error.code}>
          {error.code === 'step_up_required' ? 'This needs a current authenticator code; it was not confirmed.' : error.message}{' '}
          {error.code !== 'step_up_required' && adviceFor(error.code)}
        </Callout>
      )}
    </Alert>
  );
};
