import { Button, Classes, NonIdealState } from '@blueprintjs/core';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { csvColumnsOf } from '../../components/csvExport';
import { EnvelopeIcon, PeopleIcon, RefreshIcon } from '@blueprintjs/icons';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Member } from '../../../../shared/identity/schemas';
import { allowed } from '../../auth/grants';
import { DataTable } from '../../components/DataTable';
import { StaleListCallout, TenantScopedBody, TenantSelect } from '../../components/TenantScopedList';
import { OfflineCopyBanner } from '../../components/OfflineCopyBanner';
import { useOfflineCopy } from '../../shell/useOfflineCopy';
import { useScopedTenants } from '../tenants/useScopedTenants';
import { ChangeRoleDialog } from './ChangeRoleDialog';
import { InviteDialog } from './InviteDialog';
import { MemberActionAlert, type MemberAction } from './MemberActionAlert';
import { memberColumns, memberMenu, type MemberActions } from './memberColumns';
import { useRowMenu } from '../../components/RowMenu';
import { ApiTokensPanel } from './ApiTokensPanel';
import { MfaPolicyPanel } from './MfaPolicyPanel';
import { MemberFilterBar } from './MemberFilterBar';
import { useMembersStore } from './membersStore';
import { formatCount } from '../../components/formatCount';

/** Rows before the end of the loaded ones at which the next page is asked for. */
const PAGE_AHEAD = 100;

const UsersView = () => {
  const { me, tenants, tenant, tenantId, tenantsLoading } = useScopedTenants('members.read');
  const list = useMembersStore((s) => s.list);
  const selectedUserId = useMembersStore((s) => s.selectedUserId);
  const { load, select } = useMembersStore.getState();
  const [editing, setEditing] = useState<Member | null>(null);
  const [inviting, setInviting] = useState(false);
  const [pending, setPending] = useState<{ action: MemberAction; member: Member } | null>(null);
  const policy = useMembersStore((s) => s.policy);
  const filters = useMembersStore((s) => s.filters);

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
  const { open: openMenu, menu } = useRowMenu();
  const actions: MemberActions = useMemo(
    () => ({
      changeRole: canChange ? setEditing : null,
      deactivate: canDeactivate ? (member) => setPending({ action: 'deactivate', member }) : null,
      reactivate: canDeactivate ? (member) => setPending({ action: 'reactivate', member }) : null,
      resetMfa: canResetMfa ? (member) => setPending({ action: 'resetMfa', member }) : null,
    }),
    [canChange, canDeactivate, canResetMfa],
  );
  const columns = useMemo(
    () =>
      memberColumns(
        canChange || canDeactivate || canResetMfa
          ? (member, anchor) => {
              const content = memberMenu(member, actions);
              if (content) openMenu(anchor, content);
            }
          : null,
      ),
    [actions, canChange, canDeactivate, canResetMfa, openMenu],
  );
  const members = page?.items;
  // The service sorts; the table shows its order.
  const rows = members ?? [];
  const more = page?.hasMore ?? false;
  // Near the end of what is loaded, fetch the next page.
  const onRange = useCallback(
    (_start: number, end: number) => {
      if (more && tenantId && end >= rows.length - PAGE_AHEAD) void useMembersStore.getState().loadMore(tenantId);
    },
    [more, tenantId, rows.length],
  );

  const body = (
    <TenantScopedBody
      noun="members"
      tenantsLoading={tenantsLoading}
      tenant={tenant}
      noTenant={{ title: 'No tenant whose members you may see', description: 'Listing members needs the Owner, Admin or Reviewer role in a tenant, or a platform role.' }}
      loaded={members !== undefined}
      status={list.status}
      error={list.status === 'error' ? list.error : undefined}
      errorTestId="users-error"
      onRetry={() => tenantId && void load(tenantId)}
    >
      <DataTable
        label={`Members of ${tenant?.name ?? ''}`}
        testId="users-table"
        rows={rows}
        columns={columns}
        rowKey={(m) => m.userId}
        selectedKey={selectedUserId}
        onSelect={select}
        onRange={onRange}
        empty={
          filters.role || filters.status || filters.mfa ? (
            <NonIdealState icon={<PeopleIcon size={32} />} iconMuted title="No members match these filters" description="Choose “Any” in a filter to widen the list." />
          ) : (
            <NonIdealState icon={<PeopleIcon size={32} />} iconMuted title="No members yet" />
          )
        }
      />
    </TenantScopedBody>
  );

  return (
    <div className="attest-users">
      <div className="attest-toolbar">
        <h1 className={`${Classes.HEADING} attest-view-title`}>Users</h1>
        {members && (
          <span className={Classes.TEXT_MUTED} data-testid="users-count" title={more ? 'More members load as you scroll' : undefined}>
            {formatCount(members.length)}
            {more ? '+' : ''}
          </span>
        )}
        <div className="attest-toolbar-spacer" />
        <TenantSelect tenants={tenants} tenant={tenant} testId="users-tenant" />
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
        {tenant && members && (
          <ExportCsvButton
            table="users"
            scope={tenant.name}
            columns={[...csvColumnsOf(columns), { header: 'Email', value: (m: Member) => m.email }, { header: 'User ID', value: (m: Member) => m.userId }]}
            rows={() => rows}
            // Pages load as the list scrolls: the export is the rows loaded, and says so.
            describe={(n) => (more ? `The ${formatCount(n)} members loaded so far (scroll to the end for all)` : `All ${formatCount(n)} members`)}
            testId="users-export"
          />
        )}
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
      {members && list.status === 'error' && <StaleListCallout noun="members" error={list.error} />}
      <div className="attest-split">
        <div className="attest-split-main">{body}</div>
      </div>
      {tenant && me && canReadTokens && (
        <ApiTokensPanel tenantId={tenant.id} tenantName={tenant.name} myUserId={me.user.id} canManage={may('api_tokens.manage')} canRevoke={may('api_tokens.revoke')} />
      )}
      {menu}
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
