import { Button, Callout, Classes, HTMLSelect, NonIdealState, Spinner } from '@blueprintjs/core';
import { EnvelopeIcon, ErrorIcon, LockIcon, PeopleIcon, RefreshIcon } from '@blueprintjs/icons';
import { useEffect, useMemo, useState } from 'react';
import type { Member } from '../../../../shared/identity/schemas';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { useAuthStore } from '../../auth/authStore';
import { allowed } from '../../auth/grants';
import { DataTable } from '../../components/DataTable';
import { adviceFor } from '../../components/errorAdvice';
import { OfflineCopyBanner } from '../../components/OfflineCopyBanner';
import { useOfflineCopy } from '../../shell/useOfflineCopy';
import { useTenantsStore } from '../tenants/tenantsStore';
import { ChangeRoleDialog } from './ChangeRoleDialog';
import { InviteDialog } from './InviteDialog';
import { MemberActionAlert, type MemberAction } from './MemberActionAlert';
import { memberColumns } from './memberColumns';
import { ApiTokensPanel } from './ApiTokensPanel';
import { MfaPolicyPanel } from './MfaPolicyPanel';
import { MemberFilterBar } from './MemberFilterBar';
import { useMembersStore } from './membersStore';

const UsersView = () => {
  const me = useAuthStore((s) => (s.state?.step === 'signed_in' ? s.state.me : null));
  const tenantsLoad = useTenantsStore((s) => s.list);
  const selectedTenant = useTenantsStore((s) => s.selectedId);
  const list = useMembersStore((s) => s.list);
  const selectedUserId = useMembersStore((s) => s.selectedUserId);
  const { load, select } = useMembersStore.getState();
  const [editing, setEditing] = useState<Member | null>(null);
  const [inviting, setInviting] = useState(false);
  const [pending, setPending] = useState<{ action: MemberAction; member: Member } | null>(null);
  const policy = useMembersStore((s) => s.policy);
  const filters = useMembersStore((s) => s.filters);

  useEffect(() => {
    if (useTenantsStore.getState().list.status === 'idle') void useTenantsStore.getState().load();
  }, []);

  const tenants = useMemo(
    () => ('value' in tenantsLoad && tenantsLoad.value ? tenantsLoad.value.filter((t) => allowed(me, 'members.read', t.id)) : []),
    [tenantsLoad, me],
  );
  // The tenant selected anywhere in the console, else the first one whose members this person may see.
  const tenant = tenants.find((t) => t.id === selectedTenant) ?? tenants[0];
  const tenantId: TenantId | undefined = tenant?.id;

  useEffect(() => {
    if (tenantId) {
      void useMembersStore.getState().load(tenantId);
      void useMembersStore.getState().loadPolicy(tenantId);
    }
  }, [tenantId]);

  const page = 'value' in list && list.value && list.tenantId === tenantId ? list.value : undefined;
  // An offline copy is for reading: every change waits for the service.
  const offline = page?.offline;
  const { readOnly } = useOfflineCopy(offline !== undefined, () => {
    if (tenantId) {
      void useMembersStore.getState().load(tenantId);
      void useMembersStore.getState().loadPolicy(tenantId);
    }
  });

  const mayOnline = (action: Parameters<typeof allowed>[1]) => tenantId !== undefined && allowed(me, action, tenantId);
  const may = (action: Parameters<typeof allowed>[1]) => !readOnly && mayOnline(action);
  const canChange = may('members.change_role');
  const canDeactivate = may('members.deactivate');
  const canResetMfa = may('mfa.reset');
  const canInvite = mayOnline('members.invite');
  const canSetPolicy = may('mfa_policy.write');
  // Tokens are not in the offline copy.
  const canReadTokens = may('api_tokens.read');
  const columns = useMemo(
    () =>
      memberColumns({
        changeRole: canChange ? setEditing : null,
        deactivate: canDeactivate ? (member) => setPending({ action: 'deactivate', member }) : null,
        reactivate: canDeactivate ? (member) => setPending({ action: 'reactivate', member }) : null,
        resetMfa: canResetMfa ? (member) => setPending({ action: 'resetMfa', member }) : null,
      }),
    [canChange, canDeactivate, canResetMfa],
  );
  const members = page?.items;
  // The service sorts; the table shows its order.
  const rows = members ?? [];

  let body;
  if (tenantsLoad.status !== 'ready' && tenants.length === 0) {
    body = <NonIdealState icon={<Spinner size={32} />} title="Loading tenants…" />;
  } else if (!tenant) {
    body = (
      <NonIdealState
        icon={<LockIcon size={48} />}
        iconMuted
        title="No tenant whose members you may see"
        description="Listing members needs the Owner, Admin or Reviewer role in a tenant, or a platform role."
      />
    );
  } else if (!members) {
    body =
      list.status === 'error' ? (
        <div data-testid="users-error" data-code={list.error.code}>
          <NonIdealState
            icon={<ErrorIcon size={48} />}
            title="Could not load members"
            description={
              <p>
                <code>{list.error.code}</code> {list.error.message} {adviceFor(list.error.code)}
              </p>
            }
            action={<Button icon={<RefreshIcon />} text="Retry" onClick={() => void load(tenant.id)} />}
          />
        </div>
      ) : (
        <NonIdealState icon={<Spinner size={32} />} title="Loading members…" />
      );
  } else {
    body = (
      <DataTable
        label={`Members of ${tenant.name}`}
        testId="users-table"
        rows={rows}
        columns={columns}
        rowKey={(m) => m.userId}
        selectedKey={selectedUserId}
        onSelect={select}
        empty={<NonIdealState icon={<PeopleIcon size={32} />} iconMuted title="No members yet" />}
      />
    );
  }

  return (
    <div className="attest-users">
      <div className="attest-toolbar">
        <h1 className={`${Classes.HEADING} attest-view-title`}>Users</h1>
        {members && (
          <span className={Classes.TEXT_MUTED} data-testid="users-count">
            {members.length}
            {page?.hasMore ? '+ (narrow the filters)' : ''}
          </span>
        )}
        <div className="attest-toolbar-spacer" />
        {tenants.length > 0 && (
          <HTMLSelect
            aria-label="Tenant"
            className="attest-tenant-select"
            value={tenant?.id ?? ''}
            onChange={(e) => useTenantsStore.getState().select(e.currentTarget.value as TenantId)}
            data-testid="users-tenant"
            options={tenants.map((t) => ({ value: t.id, label: t.name }))}
          />
        )}
        {canInvite && (
          <Button
            size="small"
            icon={<EnvelopeIcon />}
            text="Invite…"
            disabled={readOnly}
            title={readOnly ? 'Inviting needs a connection to the service' : undefined}
            onClick={() => setInviting(true)}
            data-testid="users-invite"
          />
        )}
        <Button
          size="small"
          variant="minimal"
          icon={<RefreshIcon />}
          text="Refresh"
          disabled={!tenant}
          loading={list.status === 'loading' && members !== undefined}
          onClick={() => tenant && void load(tenant.id)}
          data-testid="users-refresh"
        />
      </div>
      {tenant && (
        <div className="attest-toolbar attest-users-filters">
          <MemberFilterBar filters={filters} onChange={(f) => void useMembersStore.getState().setFilters(tenant.id, f)} />
          {page && policy?.tenantId === tenant.id && (
            <MfaPolicyPanel tenantId={tenant.id} policy={policy.value} counts={page.counts} members={page.items} canChange={canSetPolicy} />
          )}
        </div>
      )}
      {offline && <OfflineCopyBanner offline={offline} testId="users-offline" />}
      {members && list.status === 'error' && (
        <Callout compact intent="warning" className="attest-inline-callout">
          Showing the members from the last successful load. Refreshing failed: <code>{list.error.code}</code> {adviceFor(list.error.code)}
        </Callout>
      )}
      <div className="attest-split">
        <div className="attest-split-main">{body}</div>
      </div>
      {tenant && me && canReadTokens && (
        <ApiTokensPanel tenantId={tenant.id} myUserId={me.user.id} canManage={may('api_tokens.manage')} canRevoke={may('api_tokens.revoke')} />
      )}
      {tenant && inviting && <InviteDialog isOpen tenantId={tenant.id} tenantName={tenant.name} onClose={() => setInviting(false)} />}
      {tenant && pending && (
        <MemberActionAlert action={pending.action} member={pending.member} tenantId={tenant.id} tenantName={tenant.name} onClose={() => setPending(null)} />
      )}
      {tenant && editing && (
        <ChangeRoleDialog isOpen tenantId={tenant.id} tenantName={tenant.name} member={editing} onClose={() => setEditing(null)} />
      )}
    </div>
  );
};

export default UsersView;
