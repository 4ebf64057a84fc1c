import { Button, Callout, HTMLSelect, NonIdealState, Spinner, Switch, Tag } from '@blueprintjs/core';
import { FlameIcon } from '@blueprintjs/icons';
import { useCallback, useEffect, useState } from 'react';
import { INCIDENT_STATUSES, SEVERITIES, type IncidentStatus, type Severity } from '../../../../shared/incidents/incident';
import type { IpcOutput } from '../../../../shared/ipc/contract';
import type { IncidentListItem, SyncStatus } from '../../../../shared/ipc/incidents';
import { VirtualGrid, type DataColumn } from '../../components/VirtualGrid';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { csvColumnsOf, type CsvColumn } from '../../components/csvExport';
import { getBridge } from '../../platform/platform';
import { toIpcError } from '../../platform/ipcError';
import { IncidentPage } from './IncidentPage';
import { useIncidentSelection } from './incidentSelection';

const SEVERITY_INTENT = { P0: 'danger', P1: 'warning', P2: 'primary', P3: 'none' } as const;

const COLUMNS: DataColumn<IncidentListItem>[] = [
  {
    id: 'severity',
    header: 'Sev',
    width: '56px',
    csv: ({ incident }) => incident.severity,
    cell: ({ incident }) => (
      <Tag minimal intent={SEVERITY_INTENT[incident.severity]}>
        {incident.severity}
      </Tag>
    ),
  },
  { id: 'title', header: 'Incident', width: 'auto', csv: ({ incident }) => incident.title, cell: ({ incident }) => <span className="attest-incident-title">{incident.title}</span> },
  { id: 'status', header: 'Status', width: '88px', csv: ({ incident }) => incident.status.replace('_', ' '), cell: ({ incident }) => <span className="attest-muted">{incident.status.replace('_', ' ')}</span> },
  {
    id: 'flags',
    header: '',
    width: '100px',
    cell: (item) => (
      <>
        {item.overdue && (
          <Tag minimal intent="danger">
            overdue
          </Tag>
        )}{' '}
        {item.pendingEdits > 0 && (
          <Tag minimal intent="warning" title="Saved on this computer, not yet on the service">
            pending
          </Tag>
        )}{' '}
        {item.conflicts > 0 && (
          <Tag minimal intent="danger">
            conflict
          </Tag>
        )}
      </>
    ),
  },
];

/** Beyond the visible columns, the export carries what a report needs: the flags as words, the clock, the id. */
const CSV_COLUMNS: readonly CsvColumn<IncidentListItem>[] = [
  ...csvColumnsOf(COLUMNS),
  { header: 'Overdue', value: (item) => item.overdue },
  { header: 'Pending edits', value: (item) => item.pendingEdits },
  { header: 'Conflicts', value: (item) => item.conflicts },
  { header: 'Detected', value: ({ incident }) => incident.detectedAt },
  { header: 'Personal data', value: ({ incident }) => incident.personalData },
  { header: 'Incident ID', value: ({ incident }) => incident.id },
];

const rowAttributes = (item: IncidentListItem) => ({ 'data-key': item.incident.id });

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

  const reload = useCallback(async () => {
    try {
      const bridge = getBridge();
      const [items, status] = await Promise.all([bridge.invoke('incidents.list', tenantFilter ? { ...filters, tenantId: tenantFilter.id } : filters), bridge.invoke('incidents.syncStatus', {})]);
      setList(items);
      setSync(status);
      setError(null);
    } catch (e) {
      setError(toIpcError(e).message);
    }
  }, [filters, tenantFilter]);

  useEffect(() => {
    // reload sets state only once the core has answered, never during the effect itself.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void reload();
    return getBridge().subscribe('incidents.changed', (status) => {
      setSync(status);
      void reload();
    });
  }, [reload]);

  const items: IncidentListItem[] = list?.items ?? [];
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
              columns={CSV_COLUMNS}
              rows={() => items}
              describe={(n) => `${n} ${n === 1 ? 'incident' : 'incidents'} as filtered`}
              testId="incidents-export"
            />
          )}
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
            columns={COLUMNS}
            count={items.length}
            rowAt={(index) => items[index]}
            rowAttributes={rowAttributes}
            selectedIndex={selectedIndex < 0 ? null : selectedIndex}
            onSelect={(index) => setSelected(index === null ? null : (items[index]?.incident.id ?? null))}
          />
        )}
      </div>
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
