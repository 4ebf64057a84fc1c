import { Button, Callout, Classes, HTMLSelect, NonIdealState, ProgressBar, Spinner, useHotkeys } from '@blueprintjs/core';
import { DownloadIcon, FilterRemoveIcon, HistoryIcon, RefreshIcon, SearchIcon, ShieldIcon } from '@blueprintjs/icons';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { PLATFORM_AUDIT_LOG } from '../../../../shared/ipc/audit';
import { useAuthStore } from '../../auth/authStore';
import { allowed } from '../../auth/grants';
import { adviceFor } from '../../components/errorAdvice';
import { getBridge } from '../../platform/platform';
import { useTenantsStore } from '../tenants/tenantsStore';
import { AuditAlerts } from './AuditAlerts';
import { AuditDetail } from './AuditDetail';
import { countText, describeQuery, hasFilters, percent, rowAt, shortHash } from './auditModel';
import { AuditFilters } from './AuditFilters';
import { useAuditDirectory } from './auditDirectoryStore';
import { formatDateTime } from '../../platform/dateTime';
import { useShownTimeZone } from '../../platform/TimeZoneProvider';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { reloadAuditStatus, useAuditStore } from './auditStore';
import { AuditTable } from './AuditTable';
import { DateTime } from '../../components/DateTime';

const useAuditEvents = () => {
  useEffect(() => {
    const bridge = getBridge();
    const offProgress = bridge.subscribe('audit.progress', (p) => useAuditStore.getState().onProgress(p));
    const offAlert = bridge.subscribe('audit.alert', () => reloadAuditStatus());
    return () => {
      offProgress();
      offAlert();
    };
  }, []);
};

const OperationBar = ({ label, progress }: { label: string; progress: { phase: string; done: number; total: number | null } | null }) => (
  <div className="attest-audit-progress" data-testid="audit-progress">
    <span>
      {label}
      {progress ? (progress.phase === 'locate' ? ' — locating the first bad event' : ` — ${progress.done.toLocaleString()}${progress.total !== null ? ` of ${progress.total.toLocaleString()}` : ''} events`) : '…'}
    </span>
    <ProgressBar intent="primary" value={progress ? percent(progress.done, progress.total) : undefined} />
  </div>
);

const AuditView = () => {
  const me = useAuthStore((s) => (s.state?.step === 'signed_in' ? s.state.me : null));
  const tenantsLoad = useTenantsStore((s) => s.list);
  const selectedTenant = useTenantsStore((s) => s.selectedId);
  const store = useAuditStore();
  const { open, setQuery, refresh, ensureRange, select, verifyLog, exportLog, dismissAlert } = useAuditStore.getState();
  const [format, setFormat] = useState<'ndjson' | 'csv'>('ndjson');
  const filterRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  useAuditEvents();

  useEffect(() => {
    if (useTenantsStore.getState().list.status === 'idle') void useTenantsStore.getState().load();
  }, []);

  const logs = useMemo(() => {
    const tenants = 'value' in tenantsLoad && tenantsLoad.value ? tenantsLoad.value.filter((t) => allowed(me, 'audit.read', t.id)) : [];
    const list = tenants.map((t) => ({ value: t.id as string, label: t.name }));
    if (me && me.platformRoles.length > 0) list.unshift({ value: PLATFORM_AUDIT_LOG, label: 'Platform log' });
    return list;
  }, [tenantsLoad, me]);

  const logId = store.logId && logs.some((l) => l.value === store.logId) ? store.logId : (logs.find((l) => l.value === selectedTenant) ?? logs[0])?.value;
  useEffect(() => {
    if (logId) void open(logId);
  }, [logId, open]);

  // Names: the log's tenant's members, or for the platform log those of every tenant one may list members of.
  const directory = useAuditDirectory();
  const tenantNames = useMemo(() => new Map('value' in tenantsLoad && tenantsLoad.value ? tenantsLoad.value.map((t) => [t.id as string, t.name]) : []), [tenantsLoad]);
  useEffect(() => {
    if (!logId || !me) return;
    const readable = 'value' in tenantsLoad && tenantsLoad.value ? tenantsLoad.value.filter((t) => allowed(me, 'members.read', t.id)).map((t) => t.id) : [];
    const tenantIds = logId === PLATFORM_AUDIT_LOG ? readable : readable.filter((id) => id === logId);
    void useAuditDirectory.getState().load(logId, tenantIds as TenantId[], { userId: me.user.id, name: me.user.displayName || me.user.email, email: me.user.email });
  }, [logId, me, tenantsLoad]);
  const zone = useShownTimeZone();
  const when = useCallback((iso: string) => formatDateTime(iso, { zone }), [zone]);

  const hotkeys = useMemo(
    () => [
      { combo: '/', label: 'Filter audit events', group: 'Audit', global: true, preventDefault: true, onKeyDown: () => filterRef.current?.focus() },
      { combo: 'shift+v', label: 'Verify log', group: 'Audit', global: true, preventDefault: true, onKeyDown: () => void useAuditStore.getState().verifyLog() },
    ],
    [],
  );
  useHotkeys(hotkeys);

  const row = useCallback((index: number) => rowAt(useAuditStore.getState().pages, index), []);
  const onSelect = useCallback((index: number | null) => {
    if (index === null) return select(null);
    select(index, rowAt(useAuditStore.getState().pages, index)?.seq);
  }, [select]);
  const selectedEvent = store.selectedIndex === null ? undefined : rowAt(store.pages, store.selectedIndex);
  // A row selected before its page arrived is checked once it is there.
  useEffect(() => {
    if (selectedEvent && store.verification.status === 'idle') select(store.selectedIndex, selectedEvent.seq);
  }, [selectedEvent, store.verification.status, store.selectedIndex, select]);

  // Unfiltered, event n is row n − 1; a filter may hide it, so it is lifted first.
  const [filterKey, setFilterKey] = useState(0);
  const showEvent = (seq: number) => {
    if (useAuditStore.getState().mode !== 'indexed') {
      setQuery({});
      setFilterKey((k) => k + 1);
    }
    if (useAuditStore.getState().mode === 'indexed') {
      select(seq - 1, seq);
      tableRef.current?.focus();
    }
  };

  const status = 'value' in store.status ? store.status.value : undefined;
  const head = status?.verifiedHead ?? null;

  if (!logId) {
    return (
      <div className="attest-tenants">
        {tenantsLoad.status === 'ready' ? (
          <NonIdealState icon={<HistoryIcon size={48} />} iconMuted title="No audit log you may read" description="Reading audit logs needs the Owner, Admin or Reviewer role in a tenant, or a platform role." />
        ) : (
          <NonIdealState icon={<Spinner size={32} />} title="Loading…" />
        )}
      </div>
    );
  }

  let body;
  // The first page is asked for beside the status (auditStore.ts): rows show as soon as either has them.
  if (store.status.status === 'loading' && !status && store.pages.size === 0 && !store.rowsError && !store.refused) {
    body = <NonIdealState icon={<Spinner size={32} />} title="Checking the latest signed tree head…" />;
  } else if (store.refused) {
    body = (
      <div data-testid="audit-refused" className="attest-fill">
        <NonIdealState
          icon={<FilterRemoveIcon size={32} />}
          iconMuted
          title="Filter not applied"
          description={`${store.refused.message} No events are shown until the filter is corrected or cleared.`}
        />
      </div>
    );
  } else if (store.total === 0) {
    body = <NonIdealState icon={<SearchIcon size={32} />} iconMuted title="No events" description={hasFilters(store.query) ? 'No events match these filters.' : 'This log is empty.'} />;
  } else {
    body = <AuditTable total={store.total} rowAt={row} selectedIndex={store.selectedIndex} onSelect={onSelect} onRange={ensureRange} tableRef={tableRef} people={directory.people} tenants={tenantNames} />;
  }

  const filtered = hasFilters(store.query);
  const matched = store.mode === 'sequential' ? store.total - (store.nextCursor !== null ? 1 : 0) : store.total;
  const count = store.refused ? 'Filter not applied' : countText(Math.max(0, matched), store.nextCursor === null, head?.treeSize ?? null, filtered);
  const verify = store.verify;
  const exporting = store.exporting;
  return (
    <div className="attest-tenants" data-testid="audit-view">
      <div className="attest-toolbar">
        <h1 className={`${Classes.HEADING} attest-view-title`}>Audit</h1>
        <HTMLSelect aria-label="Log" value={logId} onChange={(e) => void open(e.target.value)} options={logs} data-testid="audit-log-select" />
        <span
          className={`${Classes.TEXT_MUTED} attest-audit-head`}
          data-testid="audit-head"
          aria-live="polite"
          title={head ? `Verified tree head: ${head.treeSize} events, root ${head.rootHash}, signed ${head.timestamp} by key ${head.keyId}` : undefined}
        >
          {head ? (
            <>
              {head.treeSize.toLocaleString()} events · verified head of <DateTime value={head.timestamp} />
            </>
          ) : store.status.status === 'loading' ? (
            'Checking the latest signed tree head…'
          ) : (
            'No verified tree head yet'
          )}
        </span>
        <div className="attest-toolbar-spacer" />
        <Button size="small" variant="minimal" icon={<RefreshIcon />} text="Refresh" loading={store.status.status === 'loading'} onClick={() => void refresh()} />
        <Button size="small" intent="primary" icon={<ShieldIcon />} text="Verify log" title="Verify log (Shift+V)" loading={verify.running} onClick={() => void verifyLog()} data-testid="audit-verify" />
        <HTMLSelect aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as 'ndjson' | 'csv')} options={[{ value: 'ndjson', label: 'NDJSON' }, { value: 'csv', label: 'CSV' }]} />
        <Button
          size="small"
          icon={<DownloadIcon />}
          text={filtered ? 'Export filtered' : 'Export'}
          title={filtered ? `Export exactly the events this filter shows (${describeQuery(store.query, directory.people, when)}) to a file` : 'Export the whole log to a file'}
          disabled={store.refused !== null}
          loading={exporting.running}
          onClick={() => void exportLog(format)}
          data-testid="audit-export"
        />
      </div>
      {status && <AuditAlerts alerts={status.alerts} onDismiss={dismissAlert} onShowEvent={showEvent} />}
      {status?.refreshError && (
        <Callout compact intent="warning" className="attest-inline-callout" data-testid="audit-refresh-error">
          Could not fetch a newer tree head: <code>{status.refreshError.code}</code> {status.refreshError.message} Showing what was verified before.
        </Callout>
      )}
      {store.status.status === 'error' && (
        <Callout compact intent="warning" className="attest-inline-callout">
          <code>{store.status.error.code}</code> {store.status.error.message} {adviceFor(store.status.error.code)}
        </Callout>
      )}
      <div className="attest-audit-filter-row">
        <AuditFilters key={filterKey} firstRef={filterRef} people={directory.people} onApply={setQuery} onRefuse={useAuditStore.getState().refuse} />
        <span
          className={`${Classes.TEXT_MUTED} attest-audit-count`}
          data-testid="audit-count"
          aria-live="polite"
          title={filtered ? `Showing ${describeQuery(store.query, directory.people, when)}` : undefined}
        >
          {count}
        </span>
      </div>
      {verify.running && <OperationBar label="Verifying the log" progress={verify.progress} />}
      {verify.result && (
        <Callout compact intent={verify.result.ok ? 'success' : 'danger'} className="attest-inline-callout" data-testid="audit-verify-result" data-ok={verify.result.ok}>
          {verify.result.ok
            ? `Log verified: ${verify.result.eventsChecked.toLocaleString()} events recomputed to the signed root ${shortHash(verify.result.rootHash)} in ${(verify.result.durationMs / 1000).toFixed(1)} s${verify.result.source === 'cache' ? ', from the offline copy (the service was not reachable)' : ''}.`
            : `Verification failed${verify.result.firstBadSeq !== null ? ` at event ${verify.result.firstBadSeq}` : ''}: ${verify.result.reason}`}
          {!verify.result.ok && verify.result.firstBadSeq !== null && (
            <Button size="small" variant="minimal" text="Show event" onClick={() => showEvent(verify.result!.firstBadSeq!)} />
          )}
        </Callout>
      )}
      {verify.error && (
        <Callout compact intent="warning" className="attest-inline-callout">
          Verify log could not run: <code>{verify.error.code}</code> {verify.error.message}
        </Callout>
      )}
      {exporting.running && <OperationBar label="Exporting" progress={exporting.progress} />}
      {exporting.result && (
        <Callout compact intent="success" className="attest-inline-callout" data-testid="audit-export-result">
          Exported {exporting.result.events.toLocaleString()} events ({hasFilters(exporting.result.query) ? `the filter: ${describeQuery(exporting.result.query, directory.people, when)}` : 'the whole log'},{' '}
          {(exporting.result.bytes / 1024).toFixed(0)} KiB) to <code>{exporting.result.path}</code>.
        </Callout>
      )}
      {exporting.error && (
        <Callout compact intent="warning" className="attest-inline-callout">
          Export failed: <code>{exporting.error.code}</code> {exporting.error.message} {adviceFor(exporting.error.code)}
        </Callout>
      )}
      {store.rowsError && (
        <Callout compact intent="warning" className="attest-inline-callout" data-testid="audit-rows-error">
          Could not load events: <code>{store.rowsError.code}</code> {store.rowsError.message} {adviceFor(store.rowsError.code)}{' '}
          <Button size="small" variant="minimal" icon={<RefreshIcon />} text="Retry" onClick={() => void refresh()} />
        </Callout>
      )}
      <div className="attest-split">
        <div className="attest-split-main">{body}</div>
        {store.selectedIndex !== null && <AuditDetail fallback={selectedEvent} people={directory.people} tenants={tenantNames} />}
      </div>
    </div>
  );
};

export default AuditView;
