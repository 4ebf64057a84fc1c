import { Button, Callout, Card, HTMLSelect, Tag, TextArea } from '@blueprintjs/core';
import { useCallback, useEffect, useState } from 'react';
import { SEVERITIES, sentNotices, STATUS_TRANSITIONS, type IncidentStatus, type Severity } from '../../../../shared/incidents/incident';
import type { IncidentEditInput, IncidentView, ResolveConflictInput } from '../../../../shared/ipc/incidents';
import { getBridge } from '../../platform/platform';
import { toIpcError } from '../../platform/ipcError';
import { DateTime } from '../../components/DateTime';
import { ChangeDialog } from './ChangeDialog';
import { ConflictPanel } from './ConflictPanel';
import { DeadlineBars } from './DeadlineBars';
import { DeadlineChart } from './DeadlineChart';
import type { PlannedChange } from './deadlinePreview';
import { NoticePreview } from './NoticePreview';
import { EditDetailsDialog } from './EditDetailsDialog';
import { ExportMenu } from './ExportMenu';
import { deadlinesAt, describeEntry, describeTiming, formatTime } from './incidentsModel';
import { NotInOfflineCopy } from './NotInOfflineCopy';
import { PersonLink } from '../../components/PersonLink';

interface IncidentPageProps {
  incidentId: string;
  onError(message: string | null): void;
}

/** One incident: what to do on the left, timeline and deadlines side by side, conflicts on top. */
export const IncidentPage = ({ incidentId, onError }: IncidentPageProps) => {
  const [view, setView] = useState<IncidentView | null>(null);
  const [now, setNow] = useState(() => new Date());
  const [note, setNote] = useState('');
  const [me, setMe] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [editingDetails, setEditingDetails] = useState(false);
  const [planned, setPlanned] = useState<PlannedChange | null>(null);

  const shown = useCallback(
    (next: IncidentView) => {
      setView(next);
      setMissing(false);
    },
    [setView],
  );
  const failed = useCallback(
    (e: unknown) => {
      const err = toIpcError(e);
      // Not an error to report: it loads by itself after the next sync that reaches the service.
      if (err.code === 'not_in_offline_copy') {
        setView(null);
        setMissing(true);
      } else onError(err.message);
    },
    [onError],
  );
  const reload = useCallback(() => getBridge().invoke('incidents.get', { incidentId }).then(shown, failed), [incidentId, shown, failed]);

  useEffect(() => {
    void getBridge().invoke('incidents.get', { incidentId }).then(shown, failed);
    void getBridge()
      .invoke('auth.state', {})
      .then((s) => setMe(s.step === 'signed_in' ? s.me.user.id : null));
    const off = getBridge().subscribe('incidents.changed', () => void reload());
    // The local clock drives the countdowns, so they keep running offline.
    const tick = setInterval(() => setNow(new Date()), 1000);
    return () => {
      off();
      clearInterval(tick);
    };
  }, [reload, incidentId, shown, failed]);

  if (missing) return <NotInOfflineCopy />;
  if (!view) return null;
  const { incident } = view;
  const tenantName = (id: string) => view.tenants[id] ?? view.notices.find((n) => n.tenantId === id)?.tenantName ?? `tenant ${id.slice(0, 8)}`;
  // Names come from the offline copy's member lists; someone in none of them (platform staff) shows by id.
  const person = (userId: string) => (userId === me ? 'you' : (view.people[userId] ?? `user ${userId.slice(0, 8)}`));
  // A conflicting change of mine came from another of my sessions (another device, or before a restore).
  const personLink = (userId: string) => (userId === me ? 'you' : <PersonLink userId={userId} name={person(userId)} />);
  const conflictPerson = (userId: string) => (userId === me ? 'you (another session)' : person(userId));
  const edit = async (change: IncidentEditInput['change']) => {
    try {
      await getBridge().invoke('incidents.edit', { incidentId, change });
      onError(null);
      await reload();
    } catch (e) {
      onError(toIpcError(e).message);
    }
  };
  const resolve = async (input: ResolveConflictInput) => {
    try {
      await getBridge().invoke('incidents.resolveConflict', input);
      onError(null);
      await reload();
    } catch (e) {
      onError(toIpcError(e).message);
    }
  };
  const entries = view.timeline.map((t) => t.entry);
  const deadlines = deadlinesAt(incident, entries, now);
  const confirmChange = async (change: PlannedChange, reason: string | undefined) => {
    await getBridge().invoke('incidents.edit', { incidentId, change: { ...change, ...(reason === undefined ? {} : { reason }) } });
    onError(null);
    await reload();
  };
  // Publishing the review is its own action (below), not a status pick.
  const statusChoices = STATUS_TRANSITIONS[incident.status].filter((s) => s !== 'review_published');
  const sendNote = () => {
    if (note.trim() === '') return;
    void edit({ kind: 'note', text: note }).then(() => setNote(''));
  };

  return (
    <div className="attest-incident-page" data-testid="incident-page">
      <h2 className="attest-incident-heading">
        <Tag intent={incident.severity === 'P0' ? 'danger' : incident.severity === 'P1' ? 'warning' : 'none'}>{incident.severity}</Tag> {incident.title}{' '}
        <Tag minimal>{incident.status.replace('_', ' ')}</Tag> <span className="attest-muted attest-mono">v{incident.version}</span>
      </h2>
      {view.declaredPending && (
        <Callout compact intent="warning" className="attest-inline-callout" data-testid="declared-pending" title="Declared on this computer, not yet on the service">
          It is opened at the next sync. The clocks below are provisional: the service starts them by its own rules when it receives the declaration.
        </Callout>
      )}
      <p className="attest-incident-facts attest-muted" data-testid="incident-facts">
        detected <DateTime value={incident.detectedAt} /> · aware <DateTime value={incident.awareAt} /> · verified <DateTime value={incident.verifiedAt} /> · personal data {incident.personalData ? 'yes' : 'no'} · affects{' '}
        {incident.affectedTenantIds.map(tenantName).join(', ') || 'no tenant'} · commander{' '}
        {incident.commanderId === null ? 'none' : personLink(incident.commanderId)}
      </p>
      {view.conflicts.length > 0 && <ConflictPanel conflicts={view.conflicts} tenantName={tenantName} person={conflictPerson} onResolve={resolve} />}
      <div className="attest-incident-actions">
        {statusChoices.length > 0 && (
          <HTMLSelect
            aria-label="Change status"
            value=""
            onChange={(e) => e.target.value && setPlanned({ kind: 'status', to: e.target.value as IncidentStatus })}
            options={[{ value: '', label: 'Change status…' }, ...statusChoices.map((s) => ({ value: s, label: s.replace('_', ' ') }))]}
          />
        )}
        <HTMLSelect
          aria-label="Change severity"
          value=""
          onChange={(e) => e.target.value && setPlanned({ kind: 'severity', to: e.target.value as Severity })}
          options={[{ value: '', label: 'Change severity…' }, ...SEVERITIES.filter((s) => s !== incident.severity).map((s) => ({ value: s, label: s }))]}
        />
        {incident.status === 'resolved' && (
          <Button small intent="primary" icon="document-share" onClick={() => setPlanned({ kind: 'status', to: 'review_published' })} data-testid="publish-review">
            Publish review
          </Button>
        )}
        {me && incident.commanderId !== me && (
          <Button small onClick={() => void edit({ kind: 'assignment', commanderId: me, assigneeIds: incident.assigneeIds.includes(me) ? incident.assigneeIds : [...incident.assigneeIds, me] })}>
            Take command
          </Button>
        )}
        <Button small icon="edit" onClick={() => setEditingDetails(true)} data-testid="edit-details">
          Edit details
        </Button>
        <ExportMenu incidentId={incidentId} notices={view.notices} onError={onError} />
      </div>
      <div className="attest-incident-columns">
        <Card compact className="attest-incident-timeline">
          <h3>Timeline</h3>
          <ol data-testid="incident-timeline">
            {view.timeline.map(({ entry, pending }) => (
              <li key={entry.id} className={pending ? 'attest-entry-pending' : undefined}>
                <span className="attest-mono attest-muted">{formatTime(entry.at)}</span> {describeEntry(entry, tenantName, person)}{' '}
                <span className="attest-muted" data-testid="entry-actor">
                  — {personLink(entry.actorId)}
                </span>{' '}
                {describeTiming(entry) && (
                  <span className="attest-muted" data-testid="entry-timing">
                    ({describeTiming(entry)}){' '}
                  </span>
                )}
                {pending && (
                  <Tag minimal intent="warning" data-testid="pending-sync">
                    pending sync
                  </Tag>
                )}
              </li>
            ))}
          </ol>
          <TextArea
            fill
            aria-label="Add a note"
            placeholder="Add a note (Ctrl+Enter)"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) sendNote();
            }}
          />
          <Button small intent="primary" onClick={sendNote} disabled={note.trim() === ''}>
            Add note
          </Button>
        </Card>
        <Card compact className="attest-incident-deadlines">
          <h3>Deadlines</h3>
          <DeadlineBars deadlines={deadlines} now={now} provisional={view.declaredPending} />
          <DeadlineChart deadlines={deadlines} now={now} />
          <h3>Notices</h3>
          {view.notices.length === 0 && <p className="attest-muted">{view.declaredPending ? 'Drafted by the service once it opens the incident.' : 'No affected tenant to notify.'}</p>}
          {view.notices.map((n) => (
            <details key={`${n.kind}-${n.tenantId}`} className="attest-notice">
              <summary>
                {n.kind} · {n.tenantName}{' '}
                {n.sentAt ? (
                  <Tag minimal intent="success">
                    sent {formatTime(n.sentAt)}
                  </Tag>
                ) : n.required ? (
                  <Tag minimal intent="warning">
                    required
                  </Tag>
                ) : null}
              </summary>
              <NoticePreview markdown={n.text} />
              {!n.sentAt && (
                <Button small onClick={() => void edit({ kind: 'notification_sent', notice: n.kind, tenantId: n.tenantId })}>
                  Mark sent
                </Button>
              )}
            </details>
          ))}
        </Card>
      </div>
      <ChangeDialog incident={incident} change={planned} sent={sentNotices(entries)} tenantName={tenantName} onConfirm={confirmChange} onClose={() => setPlanned(null)} />
      <EditDetailsDialog
        isOpen={editingDetails}
        incident={incident}
        tenantName={tenantName}
        onClose={() => setEditingDetails(false)}
        onSave={async (changes) => {
          await getBridge().invoke('incidents.edit', { incidentId, change: { kind: 'details', changes } });
          await reload();
        }}
      />
    </div>
  );
};
