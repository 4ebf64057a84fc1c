import {
  Button,
  Callout,
  Classes,
  HTMLSelect,
  InputGroup,
  NonIdealState,
  ProgressBar,
  Spinner,
  useHotkeys,
  type Intent,
} from '@blueprintjs/core';
import { DownloadIcon, FilterRemoveIcon, HistoryIcon, RefreshIcon, SearchIcon, ShieldIcon } from '@blueprintjs/icons';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { AUDIT_OUTCOMES, type AuditOutcome } from '../../../../shared/audit/event';
import { PLATFORM_AUDIT_LOG } from '../../../../shared/ipc/audit';
import { useAuthStore } from '../../auth/authStore';
import { allowed } from '../../auth/grants';
import { adviceFor } from '../../components/errorAdvice';
import { getBridge } from '../../platform/platform';
import { useTenantsStore } from '../tenants/tenantsStore';
import { AuditAlerts } from './AuditAlerts';
import { AuditDetail } from './AuditDetail';
import { EMPTY_FILTERS, filtersToQuery, percent, rowAt, shortHash, type AuditFilterDraft } from './auditModel';
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

const Filters = ({ onApply, firstRef }: { onApply(draft: AuditFilterDraft): void; firstRef: React.Ref<HTMLInputElement> }) => {
  const [draft, setDraft] = useState<AuditFilterDraft>(EMPTY_FILTERS);
  const [problem, setProblem] = useState<{ field: keyof AuditFilterDraft; message: string } | null>(null);
  const field = (name: keyof AuditFilterDraft) => ({
    value: draft[name],
    intent: (problem?.field === name ? 'danger' : 'none') as Intent,
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [name]: e.target.value })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = filtersToQuery(draft);
    setProblem(checked.ok ? null : { field: checked.field, message: checked.message });
    if (checked.ok) onApply(draft);
  };
  const clear = () => {
    setDraft(EMPTY_FILTERS);
    setProblem(null);
    onApply(EMPTY_FILTERS);
  };
  return (
    <form className="attest-audit-filters" onSubmit={submit} aria-label="Filter audit events" data-testid="audit-filters">
      <InputGroup size="small" type="datetime-local" aria-label="From (inclusive)" title="From (inclusive)" inputRef={firstRef} {...field('from')} />
      <InputGroup size="small" type="datetime-local" aria-label="To (exclusive)" title="To (exclusive)" {...field('to')} />
      <InputGroup size="small" placeholder="Actor id" aria-label="Actor id" {...field('actor')} />
      <InputGroup size="small" placeholder="Action, e.g. session.revoked" aria-label="Action" {...field('action')} />
      <InputGroup size="small" placeholder="Target, or prefix like user:" aria-label="Target" {...field('target')} />
      <HTMLSelect
        aria-label="Outcome"
        value={draft.outcome}
        onChange={(e) => setDraft((d) => ({ ...d, outcome: e.target.value as AuditOutcome | '' }))}
        options={[{ value: '', label: 'Any outcome' }, ...AUDIT_OUTCOMES.map((o) => ({ value: o, label: o }))]}
      />
      <Button size="small" type="submit" icon={<SearchIcon />} text="Apply" />
      <Button size="small" variant="minimal" icon={<FilterRemoveIcon />} aria-label="Clear filters" title="Clear filters" onClick={clear} />
      {problem && (
        <span className="attest-filter-problem" role="alert">
          {problem.message}
        </span>
      )}
    </form>
  );
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
  if (store.status.status === 'loading' && !status) {
    body = <NonIdealState icon={<Spinner size={32} />} title="Checking the latest signed tree head…" />;
  } else if (store.total === 0 || (store.mode === 'sequential' && store.total === 1 && store.pages.size === 1 && store.nextCursor === null)) {
    body = <NonIdealState icon={<SearchIcon size={32} />} iconMuted title="No events" description={store.mode === 'indexed' ? 'This log is empty.' : 'No events match these filters.'} />;
  } else {
    body = <AuditTable total={store.total} rowAt={row} selectedIndex={store.selectedIndex} onSelect={onSelect} onRange={ensureRange} tableRef={tableRef} />;
  }

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
          {head ? <>{head.treeSize.toLocaleString()} events · verified head of <DateTime value={head.timestamp} /></> : 'No verified tree head yet'}
        </span>
        <div className="attest-toolbar-spacer" />
        <Button size="small" variant="minimal" icon={<RefreshIcon />} text="Refresh" loading={store.status.status === 'loading'} onClick={() => void refresh()} />
        <Button size="small" intent="primary" icon={<ShieldIcon />} text="Verify log" title="Verify log (Shift+V)" loading={verify.running} onClick={() => void verifyLog()} data-testid="audit-verify" />
        <HTMLSelect aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as 'ndjson' | 'csv')} options={[{ value: 'ndjson', label: 'NDJSON' }, { value: 'csv', label: 'CSV' }]} />
        <Button
          size="small"
          icon={<DownloadIcon />}
          text="Export"
          title="Export the whole log, or the From/To time range, to a file (the other filters do not apply to exports)"
          loading={exporting.running} onClick={() => void exportLog(format)} data-testid="audit-export" />
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
      <Filters
        key={filterKey}
        firstRef={filterRef}
        onApply={(draft) => {
          const checked = filtersToQuery(draft);
          if (checked.ok) setQuery(checked.query);
        }}
      />
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
          Exported {exporting.result.events.toLocaleString()} events ({(exporting.result.bytes / 1024).toFixed(0)} KiB) to <code>{exporting.result.path}</code>.
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
        {store.selectedIndex !== null && <AuditDetail fallback={selectedEvent} />}
      </div>
    </div>
  );
};

export default AuditView;
