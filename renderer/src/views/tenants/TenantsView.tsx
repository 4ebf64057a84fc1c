import { Button, Callout, Classes, HTMLSelect, InputGroup, NonIdealState, Spinner, useHotkeys } from '@blueprintjs/core';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { csvColumnsOf } from '../../components/csvExport';
import { ErrorIcon, OfficeIcon, PlusIcon, RefreshIcon, SearchIcon } from '@blueprintjs/icons';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import { PLANS, REGIONS, TENANT_STATUSES, type Tenant, type TenantId } from '../../../../shared/tenants/tenant';
import { useAuthStore } from '../../auth/authStore';
import { allowed } from '../../auth/grants';
import { DataTable } from '../../components/DataTable';
import { adviceFor } from '../../components/errorAdvice';
import { useConnectionStore } from '../../shell/connectionStore';
import { countColumns, TENANT_COLUMNS } from './tenantColumns';
import { NewTenantDialog } from './NewTenantDialog';
import { planLabel } from './tenantColumns';
import { TenantPage } from './TenantPage';
import { filterByFacets, isTenantSortKey, visibleTenants, type TenantFacets } from './tenantsModel';
import { SUMMARY_LIMIT, useTenantsStore } from './tenantsStore';

/** Failures the connection notice above the view already explains; the view only says it is waiting. */
const CONNECTION_CODES = new Set(['service_unreachable', 'certificate_mismatch', 'not_signed_in', 'bridge_unavailable', 'bridge_not_authorised']);

const ErrorState = ({ error, onRetry }: { error: IpcErrorShape; onRetry(): void }) => {
  const connectionState = useConnectionStore((s) => s.display.state);
  if (CONNECTION_CODES.has(error.code) && connectionState !== 'online') {
    return (
      <NonIdealState
        icon={<OfficeIcon size={48} />}
        iconMuted
        title="Tenants are not available"
        description={
          connectionState === 'certificate_problem'
            ? 'Nothing is loaded from a service that fails the certificate check.'
            : 'The list loads as soon as the console can reach the service again.'
        }
      />
    );
  }
  return (
    <NonIdealState
      icon={<ErrorIcon size={48} />}
      title="Could not load tenants"
      description={
        <>
          <p>
            <code data-testid="tenants-error-code">{error.code}</code> {error.message}
          </p>
          <p>{adviceFor(error.code)}</p>
        </>
      }
      action={<Button icon={<RefreshIcon />} text="Retry" onClick={onRetry} />}
    />
  );
};

/** Reload when the service comes back, since the list may have changed while the console could not see it. */
const useReloadWhenOnline = (load: () => Promise<void>) => {
  useEffect(
    () =>
      useConnectionStore.subscribe((now, before) => {
        const cameBack = now.display.state === 'online' && before.display.state !== 'online';
        // The first 'connecting' → 'online' is start-up, which the mount already loads, unless that load failed.
        const startUp = before.display.state === 'connecting' && useTenantsStore.getState().list.status !== 'error';
        if (cameBack && !startUp) void load();
      }),
    [load],
  );
};

/** Platform staff's filters: region, plan and status ("any" unsets one). */
const FacetBar = ({ facets, onChange }: { facets: TenantFacets; onChange(f: TenantFacets): void }) => {
  const facet = <K extends keyof TenantFacets>(key: K, label: string, values: readonly string[], show: (v: string) => string) => (
    <HTMLSelect
      minimal
      aria-label={label}
      value={facets[key] ?? ''}
      data-testid={`tenants-facet-${key}`}
      onChange={(e) => {
        const v = e.currentTarget.value;
        const next = { ...facets };
        if (v === '') delete next[key];
        else next[key] = v as TenantFacets[K];
        onChange(next);
      }}
      options={[{ value: '', label: `Any ${label.toLowerCase()}` }, ...values.map((v) => ({ value: v, label: show(v) }))]}
    />
  );
  return (
    <div className="attest-facets" role="group" aria-label="Filter tenants by region, plan and status">
      {facet('region', 'Region', REGIONS, (r) => r.toUpperCase())}
      {facet('plan', 'Plan', PLANS, (p) => planLabel(p as Tenant['plan']))}
      {facet('status', 'Status', TENANT_STATUSES, (s) => s.charAt(0).toUpperCase() + s.slice(1))}
    </div>
  );
};

const TenantsView = () => {
  const me = useAuthStore((s) => (s.state?.step === 'signed_in' ? s.state.me : null));
  const [creating, setCreating] = useState(false);
  const facets = useTenantsStore((s) => s.facets);
  const list = useTenantsStore((s) => s.list);
  const sort = useTenantsStore((s) => s.sort);
  const filter = useTenantsStore((s) => s.filter);
  const selectedId = useTenantsStore((s) => s.selectedId);
  const { load, sortBy, setFilter, select } = useTenantsStore.getState();
  const filterRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  useEffect(() => {
    void useTenantsStore.getState().load();
  }, []);
  useReloadWhenOnline(load);

  const hotkeys = useMemo(
    () => [
      {
        combo: '/',
        label: 'Filter tenants',
        group: 'Tenants',
        global: true,
        preventDefault: true,
        onKeyDown: () => filterRef.current?.focus(),
      },
    ],
    [],
  );
  useHotkeys(hotkeys);

  const tenants: readonly Tenant[] | undefined = 'value' in list ? list.value : undefined;
  const staff = (me?.platformRoles.length ?? 0) > 0;
  const canCreate = allowed(me, 'tenants.create', null);
  const summaries = useTenantsStore((s) => s.summaries);
  const counted = useMemo(() => (tenants ?? []).filter((t) => allowed(me, 'tenants.summary', t.id)).slice(0, SUMMARY_LIMIT), [tenants, me]);
  // Keyed by the ids (not the array), so a new `me` after a step-up does not fetch the counts again.
  const countedIds = counted.map((t) => t.id).join(' ');
  useEffect(() => {
    if (countedIds !== '') void useTenantsStore.getState().loadSummaries(countedIds.split(' ') as TenantId[]);
  }, [countedIds]);
  // With a Tenant page open (which shows its counts) the list keeps to names and facets, so names stay readable.
  const withCounts = counted.length > 0 && selectedId === null;
  const columns = useMemo(
    () => (withCounts ? [...TENANT_COLUMNS.slice(0, -1), ...countColumns(summaries), ...TENANT_COLUMNS.slice(-1)] : TENANT_COLUMNS),
    [withCounts, summaries],
  );
  const rows = useMemo(() => (tenants ? visibleTenants(filterByFacets(tenants, staff ? facets : {}), filter, sort) : []), [tenants, filter, sort, facets, staff]);
  const selected = tenants?.find((t) => t.id === selectedId);

  const onFilterKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && filter) {
      event.preventDefault();
      setFilter('');
    } else if ((event.key === 'ArrowDown' || event.key === 'Enter') && rows[0]) {
      event.preventDefault();
      if (!rows.some((t) => t.id === selectedId)) select(rows[0].id);
      tableRef.current?.focus();
    }
  };

  const retry = () => void load();

  let body;
  if (!tenants) {
    body =
      list.status === 'error' ? (
        <div data-testid="tenants-error" data-code={list.error.code}>
          <ErrorState error={list.error} onRetry={retry} />
        </div>
      ) : (
        <NonIdealState icon={<Spinner size={32} />} title="Loading tenants…" />
      );
  } else if (tenants.length === 0) {
    body = (
      <div data-testid="tenants-empty">
        <NonIdealState
          icon={<OfficeIcon size={48} />}
          iconMuted
          title="No tenants yet"
          description={canCreate ? 'Create the first one with New tenant.' : 'Tenants appear here once platform staff create them.'}
        />
      </div>
    );
  } else {
    body = (
      <DataTable
        label="Tenants"
        testId="tenants-table"
        tableRef={tableRef}
        rows={rows}
        columns={columns}
        rowKey={(t) => t.id}
        sort={sort}
        onSort={(key) => {
          if (isTenantSortKey(key)) sortBy(key);
        }}
        selectedKey={selectedId}
        onSelect={(key) => select(key === null ? null : (key as TenantId))}
        empty={
          <NonIdealState
            icon={<SearchIcon size={32} />}
            iconMuted
            title="No tenants match this filter"
            description={filter ? `Nothing matches “${filter}” in name, slug, region, plan, status or id.` : 'No tenant has this region, plan and status.'}
            action={
              <Button
                size="small"
                text="Clear filters"
                onClick={() => {
                  setFilter('');
                  useTenantsStore.getState().setFacets({});
                }}
              />
            }
          />
        }
      />
    );
  }

  return (
    <div className="attest-tenants">
      <div className="attest-toolbar">
        <h1 className={`${Classes.HEADING} attest-view-title`}>Tenants</h1>
        {tenants && (
          <span className={Classes.TEXT_MUTED} data-testid="tenants-count" aria-live="polite">
            {rows.length === tenants.length ? `${tenants.length}` : `${rows.length} of ${tenants.length}`}
          </span>
        )}
        <div className="attest-toolbar-spacer" />
        {staff && <FacetBar facets={facets} onChange={useTenantsStore.getState().setFacets} />}
        <InputGroup
          type="search"
          size="small"
          className="attest-filter"
          leftIcon={<SearchIcon />}
          placeholder="Filter by name, slug or plan"
          aria-label="Filter tenants"
          aria-keyshortcuts="/"
          data-testid="tenants-filter"
          inputRef={filterRef}
          value={filter}
          onValueChange={setFilter}
          onKeyDown={onFilterKeyDown}
          rightElement={<kbd className="attest-kbd" aria-hidden="true">/</kbd>}
        />
        <Button
          size="small"
          variant="minimal"
          icon={<RefreshIcon />}
          text="Refresh"
          loading={list.status === 'loading' && tenants !== undefined}
          onClick={retry}
          data-testid="tenants-refresh"
        />
        {tenants && (
          <ExportCsvButton
            table="tenants"
            {...(rows.length === tenants.length ? {} : { scope: 'filtered' })}
            columns={[...csvColumnsOf(columns), { header: 'Slug', value: (t: Tenant) => t.slug }, { header: 'Tenant ID', value: (t: Tenant) => t.id }]}
            rows={() => rows}
            describe={(n) => `${rows.length === tenants.length ? 'All' : 'The'} ${n} ${n === 1 ? 'tenant' : 'tenants'}${rows.length === tenants.length ? '' : n === 1 ? ' that matches the filter' : ' that match the filter'}`}
            testId="tenants-export"
          />
        )}
        {canCreate && (
          <Button size="small" intent="primary" icon={<PlusIcon />} text="New tenant" onClick={() => setCreating(true)} data-testid="tenants-new" />
        )}
      </div>
      {tenants && list.status === 'error' && (
        <Callout compact intent="warning" className="attest-inline-callout" data-testid="tenants-stale">
          Showing the tenants from the last successful load. Refreshing failed: <code>{list.error.code}</code>{' '}
          {adviceFor(list.error.code)}
        </Callout>
      )}
      <div className="attest-split">
        <div className="attest-split-main">{body}</div>
        {selectedId !== null && <TenantPage fallback={selected} />}
      </div>
      <NewTenantDialog isOpen={creating} onClose={() => setCreating(false)} />
    </div>
  );
};

export default TenantsView;
