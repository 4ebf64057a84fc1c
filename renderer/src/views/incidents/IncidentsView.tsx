import { Button, Callout, HTMLSelect, NonIdealState, Spinner, Switch, Tag } from '@blueprintjs/core';
import { CellTag } from '../../components/CellTag';
import { FlameIcon } from '@blueprintjs/icons';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { INCIDENT_STATUSES, SEVERITIES, type IncidentStatus, type Severity } from '../../../../shared/incidents/incident';
import type { IpcOutput } from '../../../../shared/ipc/contract';
import type { IncidentListItem, SyncStatus } from '../../../../shared/ipc/incidents';
import { VirtualGrid, type DataColumn } from '../../components/VirtualGrid';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { csvColumnsOf, type CsvColumn } from '../../components/csvExport';
import { getBridge } from '../../platform/platform';
import { toIpcError } from '../../platform/ipcError';
import { DeclareDialog } from './DeclareDialog';
import { countdownOf, nextDeadline, nextDeadlineText } from './deadlinePreview';
import { IncidentPage } from './IncidentPage';
import { formatTime } from './incidentsModel';
import { useIncidentSelection } from './incidentSelection';

const SEVERITY_INTENT = { P0: 'danger', P1: 'warning', P2: 'primary', P3: 'none' } as const;

/** What a row needs beyond its item: the tenants' and people's names the offline copy knows, and the ticking clock. */
interface RowContext {
  tenants: Record<string, string>;
  people: Record<string, string>;
  me: string | null;
  now: Date;
}

const tenantsCell = (item: IncidentListItem, names: Record<string, string>): string => {
  const named = item.incident.affectedTenantIds.map((id) => names[id] ?? `tenant ${id.slice(0, 8)}`);
  return named.length === 0 ? '—' : named.length <= 2 ? named.join(', ') : `${named[0]} +${named.length - 1}`;
};

/** Beside the title: declared or edited here and not yet on the service, or in conflict. */
const Flags = ({ item }: { item: IncidentListItem }) => (
  <>
    {item.declaredPending ? (
      <CellTag intent="warning" title="Declared on this computer, not yet on the service">
        declared
      </CellTag>
    ) : (
      item.pendingEdits > 0 && (
        <CellTag intent="warning" title="Saved on this computer, not yet on the service">
          pending
        </CellTag>
      )
    )}
    {item.conflicts > 0 && (
      <CellTag intent="danger">
        conflict
      </CellTag>
    )}
  </>
);

const columns = ({ tenants, people, me, now }: RowContext): DataColumn<IncidentListItem>[] => [
  {
    id: 'severity',
    header: 'Sev',
    width: '52px',
    glance: true,
    csv: ({ incident }) => incident.severity,
    cell: ({ incident }) => (
      <CellTag intent={SEVERITY_INTENT[incident.severity]}>
        {incident.severity}
      </CellTag>
    ),
  },
  {
    id: 'title',
    header: 'Incident',
    width: 'auto',
    glance: true,
    csv: ({ incident }) => incident.title,
    cell: (item) => (
      <span className="attest-incident-cell">
        <span className="attest-incident-title" title={item.incident.title}>
          {item.incident.title}
        </span>
        <Flags item={item} />
      </span>
    ),
  },
  {
    id: 'tenant',
    header: 'Tenant',
    width: '20%',
    csv: (item) => item.incident.affectedTenantIds.map((id) => tenants[id] ?? id).join(', '),
    cell: (item) => (
      <span className="attest-incident-title" title={item.incident.affectedTenantIds.map((id) => tenants[id] ?? id).join(', ')}>
        {tenantsCell(item, tenants)}
      </span>
    ),
  },
  {
    id: 'next',
    header: 'Next deadline',
    // Wide enough for "late 61 d" in its tag.
    width: '100px',
    csv: (item) => {
      const next = nextDeadline(item.deadlines);
      return next ? `${next.label}: ${nextDeadlineText(next, now)}` : null;
    },
    cell: (item) => {
      const next = nextDeadline(item.deadlines);
      if (!next) return <span className="attest-muted">—</span>;
      const c = countdownOf(next, now);
      return (
        <CellTag intent={c.intent} title={`${next.label}: ${c.text} · due ${formatTime(next.dueAt)}`} data-testid="next-deadline">
          {nextDeadlineText(next, now)}
        </CellTag>
      );
    },
  },
  {
    id: 'commander',
    header: 'Commander',
    width: '92px',
    csv: ({ incident: { commanderId } }) => (commanderId === null ? null : (people[commanderId] ?? commanderId)),
    cell: ({ incident: { commanderId } }) => (
      <span className="attest-incident-title">{commanderId === null ? '—' : commanderId === me ? 'you' : (people[commanderId] ?? `user ${commanderId.slice(0, 8)}`)}</span>
    ),
  },
  {
    id: 'status',
    header: 'Status',
    width: '84px',
    csv: ({ incident }) => incident.status.replace('_', ' '),
    // "review published" does not fit the column: the whole word is on hover.
    cell: ({ incident }) => (
      <span className="attest-muted" title={incident.status.replace('_', ' ')}>
        {incident.status.replace('_', ' ')}
      </span>
    ),
  },
];

/** Beyond the visible columns, the export carries what a report needs: the flags as words, the clock, the id. */
const csvColumns = (grid: readonly DataColumn<IncidentListItem>[]): CsvColumn<IncidentListItem>[] => [
  ...csvColumnsOf(grid),
  { header: 'Overdue', value: (item) => item.overdue },
  { header: 'Pending edits', value: (item) => item.pendingEdits },
  { header: 'Conflicts', value: (item) => item.conflicts },
  { header: 'Detected', value: ({ incident }) => incident.detectedAt },
  { header: 'Personal data', value: ({ incident }) => incident.personalData },
  { header: 'Incident ID', value: ({ incident }) => incident.id },
];

const rowAttributes = (item: IncidentListItem) => ({ 'data-key': item.incident.id });

/** Rows asked for first when a list is opened or its filter changes: more than a tall screen holds. */
const FIRST_ROWS = 100;

interface Filters {
  severity?: Severity;
  status?: IncidentStatus;
  overdue?: boolean;
}

/** Incidents from the console's offline copy: a filtered, virtualized list beside the selected incident. */
const IncidentsView = () => {
  const [filters, setFilters] = useState<Filters>({});
  const [list, setList] = useState<IpcOutput<'incidents.list'> | null>(null);
  const [sync, setSync] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  // In the navigation store: a link to an incident selects it, and it stays selected across sections.
  const selected = useIncidentSelection((s) => s.incidentId);
  const setSelected = useIncidentSelection((s) => s.select);
  const tenantFilter = useIncidentSelection((s) => s.tenantFilter);
  const [declaring, setDeclaring] = useState(false);
  const [me, setMe] = useState<string | null>(null);
  // The list's countdowns run on the local clock, offline too; a minute is their resolution.
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    void getBridge()
      .invoke('auth.state', {})
      .then((s) => setMe(s.step === 'signed_in' ? s.me.user.id : null));
    const tick = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(tick);
  }, []);

  // Each reload's answers are used only while it is the latest: an older one arriving late must not replace a newer list.
  const latestReload = useRef(0);
  /** The filter of the list shown (as JSON). */
  const shownInput = useRef<string | null>(null);
  const reload = useCallback(async () => {
    const mine = ++latestReload.current;
    const current = () => mine === latestReload.current;
    try {
      const bridge = getBridge();
      const input = tenantFilter ? { ...filters, tenantId: tenantFilter.id } : filters;
      // A new list shows its first screen first (thousands of incidents take the core and the bridge a while), then
      // the rest. The same list read again (after a sync) comes whole: cutting it would move a reader scrolled far down.
      const inputKey = JSON.stringify(input);
      const again = shownInput.current === inputKey;
      const [first, status] = await Promise.all([
        bridge.invoke('incidents.list', again ? input : { ...input, limit: FIRST_ROWS }),
        bridge.invoke('incidents.syncStatus', {}),
      ]);
      if (!current()) return;
      shownInput.current = inputKey;
      setList(first);
      setSync(status);
      setError(null);
      if (first.items.length < first.total) {
        const all = await bridge.invoke('incidents.list', input);
        if (current()) setList(all);
      }
    } catch (e) {
      if (current()) setError(toIpcError(e).message);
    }
  }, [filters, tenantFilter]);

  useEffect(() => {
    // reload sets state only once the core has answered, never during the effect itself.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void reload();
    return getBridge().subscribe('incidents.changed', (status) => {
      setSync(status);
      // A sync starting changes nothing in the list; it is read again when the sync has finished.
      if (!status.syncing) void reload();
    });
  }, [reload]);

  const items: IncidentListItem[] = list?.items ?? [];
  // Until the rest has come, the list holds the first rows only: the count says all, export waits for all.
  const complete = list !== null && list.items.length === list.total;
  const tenantNames = list?.tenants;
  const people = list?.people;
  const gridColumns = useMemo(() => columns({ tenants: tenantNames ?? {}, people: people ?? {}, me, now }), [tenantNames, people, me, now]);
  const exportColumns = useMemo(() => csvColumns(gridColumns), [gridColumns]);
  const selectedIndex = items.findIndex((i) => i.incident.id === selected);

  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      await reload();
    } catch (e) {
      setError(toIpcError(e).message);
    }
  };

  return (
    <div className="attest-incidents" data-testid="incidents-view">
      <div className="attest-incidents-list">
        <div className="attest-toolbar">
          <HTMLSelect
            aria-label="Severity"
            value={filters.severity ?? ''}
            onChange={(e) => setFilters({ ...filters, severity: (e.target.value || undefined) as Severity | undefined })}
            options={[{ value: '', label: 'All severities' }, ...SEVERITIES.map((s) => ({ value: s, label: s }))]}
          />
          <HTMLSelect
            aria-label="Status"
            value={filters.status ?? ''}
            onChange={(e) => setFilters({ ...filters, status: (e.target.value || undefined) as IncidentStatus | undefined })}
            options={[{ value: '', label: 'All statuses' }, ...INCIDENT_STATUSES.map((s) => ({ value: s, label: s.replace('_', ' ') }))]}
          />
          {tenantFilter && (
            <Tag minimal interactive={false} onRemove={() => useIncidentSelection.getState().filterTenant(null)} data-testid="incidents-tenant-filter">
              Affecting {tenantFilter.name}
            </Tag>
          )}
          <Switch
            label="Overdue"
            checked={filters.overdue === true}
            onChange={(e) => setFilters({ ...filters, overdue: e.currentTarget.checked ? true : undefined })}
          />
          <Button small icon="refresh" loading={sync?.syncing} onClick={() => void act(() => getBridge().invoke('incidents.sync', {}))}>
            Sync
          </Button>
          {list && (
            <ExportCsvButton
              table="incidents"
              {...(tenantFilter ? { scope: tenantFilter.name } : {})}
              columns={exportColumns}
              rows={() => items}
              describe={(n) => `${n} ${n === 1 ? 'incident' : 'incidents'} as filtered`}
              disabled={!complete}
              testId="incidents-export"
            />
          )}
          <Button small intent="danger" icon="flame" onClick={() => setDeclaring(true)} data-testid="declare-incident">
            Declare incident
          </Button>
          <span className="attest-muted attest-incidents-count" data-testid="incidents-count" aria-live="polite">
            {list === null ? '' : `${list.total} incident${list.total === 1 ? '' : 's'}`}
          </span>
        </div>
        {sync && (sync.pendingEdits > 0 || sync.conflicts > 0) && (
          <div className="attest-incidents-sync" data-testid="incidents-sync">
            {sync.pendingEdits > 0 && (
              <Tag minimal intent="warning">
                {sync.pendingEdits} pending sync
              </Tag>
            )}{' '}
            {sync.conflicts > 0 && (
              <Tag minimal intent="danger">
                {sync.conflicts} conflict{sync.conflicts === 1 ? '' : 's'}
              </Tag>
            )}
          </div>
        )}
        {sync?.problem && (
          <Callout intent={sync.problem.code.startsWith('replica_') ? 'danger' : 'warning'} compact data-testid="incidents-problem">
            {sync.problem.message}
            {sync.problem.code.startsWith('replica_') && (
              <div>
                <Button small intent="primary" onClick={() => void act(() => getBridge().invoke('incidents.resync', {}))}>
                  Re-sync from the service
                </Button>
              </div>
            )}
          </Callout>
        )}
        {error && (
          <Callout intent="danger" compact>
            {error}
          </Callout>
        )}
        {list === null ? (
          <Spinner size={20} />
        ) : items.length === 0 ? (
          <NonIdealState icon={<FlameIcon size={32} />} title="No incidents" description="None match these filters in the offline copy." />
        ) : (
          <VirtualGrid
            label="Incidents"
            testId="incident-list"
            columns={gridColumns}
            count={items.length}
            rowAt={(index) => items[index]}
            rowAttributes={rowAttributes}
            selectedIndex={selectedIndex < 0 ? null : selectedIndex}
            onSelect={(index) => setSelected(index === null ? null : (items[index]?.incident.id ?? null))}
          />
        )}
      </div>
      <DeclareDialog
        isOpen={declaring}
        onClose={() => setDeclaring(false)}
        onDeclared={(id) => {
          setSelected(id);
          void reload();
        }}
      />
      <div className="attest-incidents-page">
        {selected ? (
          <IncidentPage key={selected} incidentId={selected} onError={setError} />
        ) : (
          <NonIdealState title="Select an incident" description="Use ↑ ↓ in the list, or click one." />
        )}
      </div>
    </div>
  );
};

export default IncidentsView;
