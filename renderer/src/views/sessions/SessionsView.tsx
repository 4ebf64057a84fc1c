import { Button, Classes, HTMLSelect, NonIdealState, Switch } from '@blueprintjs/core';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { csvColumnsOf } from '../../components/csvExport';
import { DisableIcon, KeyIcon, RefreshIcon } from '@blueprintjs/icons';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { APPROVAL_POLICY } from '../../../../shared/policy/approvals';
import type { SessionSummary } from '../../../../shared/sessions/schemas';
import { allowed } from '../../auth/grants';
import { DataTable } from '../../components/DataTable';
import { StaleListCallout, TenantScopedBody, TenantSelect } from '../../components/TenantScopedList';
import { OfflineCopyBanner } from '../../components/OfflineCopyBanner';
import { useOfflineCopy } from '../../shell/useOfflineCopy';
import { useScopedTenants } from '../tenants/useScopedTenants';
import { ReviewFlagsDialog } from './ReviewFlagsDialog';
import { RevokeSessionsAlert, type Revocation } from './RevokeSessionsAlert';
import { sessionColumns } from './sessionColumns';
import { isFiltered, othersCount, sortSessions } from './sessionsModel';
import { useSessionsStore } from './sessionsStore';
import { formatCount } from '../../components/formatCount';

/** Rows before the end of the loaded ones at which the next page is asked for. */
const PAGE_AHEAD = 100;

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

const SessionsView = () => {
  const { me, tenants, tenant, tenantId, tenantsLoading } = useScopedTenants('sessions.read');
  const list = useSessionsStore((s) => s.list);
  const filter = useSessionsStore((s) => s.filter);
  const selectedId = useSessionsStore((s) => s.selectedId);
  const storedOffline = useSessionsStore((s) => s.offline);
  const more = useSessionsStore((s) => s.nextCursor !== null);
  const store = useSessionsStore.getState();
  const [revocation, setRevocation] = useState<Revocation | null>(null);
  const [reviewing, setReviewing] = useState<SessionSummary | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    if (tenantId) void useSessionsStore.getState().load(tenantId);
  }, [tenantId]);

  const users = useSessionsStore((s) => s.users);
  const sessions = 'value' in list && list.value && list.tenantId === tenantId ? list.value : undefined;
  // The service applied the filter: every row loaded matches it.
  const rows = useMemo(() => sortSessions(sessions ?? []), [sessions]);
  const filtered = isFiltered(filter);
  // An offline copy is for reading: revoking waits for the service.
  const offline = sessions ? storedOffline : null;
  const { readOnly } = useOfflineCopy(offline !== null, () => {
    if (tenantId) void useSessionsStore.getState().load(tenantId);
  });
  // Near the end of what is loaded, fetch the next page.
  const onRange = useCallback(
    (_start: number, end: number) => {
      if (more && tenantId && end >= rows.length - PAGE_AHEAD) void useSessionsStore.getState().loadMore(tenantId);
    },
    [more, tenantId, rows.length],
  );
  const canRevoke = tenantId !== undefined && !readOnly && allowed(me, 'sessions.revoke', tenantId);
  const selected = rows.find((s) => s.id === selectedId) ?? null;

  const confirm = (r: Revocation) => {
    setDone(null);
    setRevocation(r);
  };
  const columns = useMemo(() => {
    if (!tenant || !canRevoke) return sessionColumns(null);
    return sessionColumns((s: SessionSummary) => {
      const who = s.displayName || s.email;
      confirm({
        title: `Revoke this session of ${who}?`,
        description: `${s.userAgent ?? 'Unknown device'} from ${s.ip ?? 'an unknown address'}. Their next request is refused; they must sign in again.`,
        confirm: 'Revoke session',
        run: async () => `${plural(await useSessionsStore.getState().revoke(tenant.id, s), 'session')} revoked.`,
      });
    }, (s: SessionSummary) => {
      setDone(null);
      setReviewing(s);
    });
  }, [tenant, canRevoke]);

  const body = (
    <TenantScopedBody
      noun="sessions"
      tenantsLoading={tenantsLoading}
      tenant={tenant}
      noTenant={{ title: 'No tenant whose sessions you may see', description: 'Listing sessions needs the Owner or Admin role in a tenant, or a platform role.' }}
      loaded={sessions !== undefined}
      status={list.status}
      error={list.status === 'error' ? list.error : undefined}
      errorTestId="sessions-error"
      onRetry={() => tenantId && void store.load(tenantId)}
    >
      <DataTable
        label={`Sessions in ${tenant?.name ?? ''}`}
        testId="sessions-table"
        rows={rows}
        columns={columns}
        rowKey={(s) => s.id}
        selectedKey={selectedId}
        onSelect={store.select}
        onRange={onRange}
        empty={<NonIdealState icon={<KeyIcon size={32} />} iconMuted title={filtered ? 'No session matches the filter' : 'No live sessions'} />}
      />
    </TenantScopedBody>
  );

  return (
    <div className="attest-users">
      <div className="attest-toolbar">
        <h1 className={`${Classes.HEADING} attest-view-title`}>Sessions</h1>
        {sessions && (
          <span className={Classes.TEXT_MUTED} data-testid="sessions-count" title={more ? 'More sessions load as you scroll' : undefined}>
            {`${formatCount(sessions.length)}${more ? '+' : ''}${filtered ? ' matching' : ''}`}
          </span>
        )}
        <div className="attest-toolbar-spacer" />
        {sessions && (
          <>
            <HTMLSelect
              aria-label="User"
              value={filter.userId ?? ''}
              onChange={(e) => store.setFilter({ userId: e.currentTarget.value || null })}
              data-testid="sessions-user-filter"
              options={[{ value: '', label: 'All users' }, ...users.map((u) => ({ value: u.userId, label: u.label }))]}
            />
            <Switch
              className="attest-toolbar-switch"
              label="Flagged only"
              checked={filter.flaggedOnly}
              onChange={(e) => store.setFilter({ flaggedOnly: e.currentTarget.checked })}
              data-testid="sessions-flagged-filter"
            />
          </>
        )}
        <TenantSelect tenants={tenants} tenant={tenant} testId="sessions-tenant" />
        {tenant && sessions && (
          <ExportCsvButton
            table="sessions"
            scope={tenant.name}
            columns={[...csvColumnsOf(columns), { header: 'Email', value: (s: SessionSummary) => s.email }, { header: 'Session ID', value: (s: SessionSummary) => s.id }]}
            rows={() => rows}
            describe={(n) =>
              more
                ? `The ${formatCount(n)} sessions loaded so far (scroll to the end for all)`
                : filtered
                  ? `The ${formatCount(n)} sessions that match the filter`
                  : `All ${formatCount(n)} live sessions`
            }
            testId="sessions-export"
          />
        )}
        <Button
          size="small"
          variant="minimal"
          icon={<RefreshIcon />}
          text="Refresh"
          disabled={!tenant}
          loading={list.status === 'loading' && sessions !== undefined}
          onClick={() => tenant && void store.load(tenant.id)}
          data-testid="sessions-refresh"
        />
      </div>
      {canRevoke && tenant && sessions && (
        <div className="attest-toolbar">
          <Button
            size="small"
            intent="danger"
            variant="outlined"
            icon={<DisableIcon />}
            disabled={!selected || selected.current}
            text={selected && !selected.current ? `Revoke all of ${selected.displayName || selected.email}` : 'Revoke all of a user'}
            title="Select a session of the user first"
            data-testid="sessions-revoke-user"
            onClick={() => {
              if (!selected) return;
              const who = selected.displayName || selected.email;
              const count = sessions.filter((s) => s.userId === selected.userId).length;
              confirm({
                title: `Revoke every session of ${who}?`,
                description: `${plural(count, 'session')} end at once, on every device. They must sign in again.`,
                confirm: 'Revoke all of this user',
                run: async () => `${plural(await store.revokeUser(tenant.id, selected.userId, who), 'session')} revoked.`,
              });
            }}
          />
          <Button
            size="small"
            intent="danger"
            variant="outlined"
            icon={<DisableIcon />}
            disabled={othersCount(sessions) === 0}
            text="Revoke all but mine…"
            title="Needs a second person's approval"
            data-testid="sessions-revoke-all"
            onClick={() =>
              confirm({
                title: `Request revoking every session in ${tenant.name} but yours?`,
                description: `A second person must approve this in their Approvals inbox within ${APPROVAL_POLICY.requestTtl / 3600} hours; only then do the other sessions of the tenant's members end (${more ? 'at least ' : ''}${othersCount(sessions)} now, less the approver's own, which stays), on every device. Members who also belong to other tenants are signed out there too: a session is the person's, not the tenant's.`,
                confirm: 'Request approval',
                reasonLabel: 'Why (the approver reads this)',
                run: async (reason) => {
                  await store.revokeAllButMine(tenant.id, tenant.name, reason);
                  return 'Requested: nothing is revoked until another admin approves it (Approvals).';
                },
              })
            }
          />
          {done && (
            <span className={Classes.TEXT_MUTED} data-testid="sessions-revoked">
              {done}
            </span>
          )}
        </div>
      )}
      {offline && <OfflineCopyBanner offline={offline} testId="sessions-offline" />}
      {sessions && list.status === 'error' && <StaleListCallout noun="sessions" error={list.error} />}
      <div className="attest-split">
        <div className="attest-split-main">{body}</div>
      </div>
      <ReviewFlagsDialog
        session={reviewing}
        onReview={async (s, outcome, note) => {
          if (!tenant) return '';
          const result = await useSessionsStore.getState().reviewFlags(tenant.id, s, outcome, note);
          const who = s.displayName || s.email;
          return result.sessionRevoked ? `Marked suspicious: the session of ${who} has ended.` : `Sign-in of ${who} marked ${result.outcome}.`;
        }}
        onClose={(outcome) => {
          setReviewing(null);
          if (outcome) setDone(outcome);
        }}
      />
      <RevokeSessionsAlert
        revocation={revocation}
        onClose={(outcome) => {
          setRevocation(null);
          if (outcome !== null) setDone(outcome);
        }}
      />
    </div>
  );
};

export default SessionsView;
