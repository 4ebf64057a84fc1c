import { Button, Classes, Tag } from '@blueprintjs/core';
import { DisableIcon } from '@blueprintjs/icons';
import type { SessionSummary } from '../../../../shared/sessions/schemas';
import type { DataColumn } from '../../components/DataTable';
import { FLAG_LABELS } from './sessionsModel';

// Compact (sessions live at most 90 days); the full date and time is in the tooltip.
const short = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' });
const time = (iso: string) => (
  <time dateTime={iso} title={full.format(new Date(iso))}>
    {short.format(new Date(iso))}
  </time>
);

/** `onRevoke` null: the caller may not revoke others' sessions (the console's own is ended by signing out). */
export function sessionColumns(onRevoke: ((session: SessionSummary) => void) | null): DataColumn<SessionSummary>[] {
  const columns: DataColumn<SessionSummary>[] = [
    {
      id: 'user',
      header: 'User',
      width: 'auto',
      csv: (s) => s.displayName || s.email,
      cell: (s) => (
        <span className="attest-member-name">
          <span className="attest-cell-strong">{s.displayName || s.email}</span>
          <span className={Classes.TEXT_MUTED}>{s.email}</span>
        </span>
      ),
    },
    {
      id: 'device',
      header: 'Device',
      width: '130px',
      csv: (s) => s.userAgent ?? null,
      cell: (s) => (s.userAgent ? <span title={s.userAgent}>{s.userAgent}</span> : <span className={Classes.TEXT_MUTED}>Unknown</span>),
    },
    { id: 'ip', header: 'IP', width: '96px', csv: (s) => s.ip ?? null, cell: (s) => s.ip ?? <span className={Classes.TEXT_MUTED}>Unknown</span> },
    { id: 'createdAt', header: 'Signed in', width: '116px', csv: (s) => s.createdAt, cell: (s) => time(s.createdAt) },
    { id: 'lastSeenAt', header: 'Last seen', width: '116px', csv: (s) => s.lastSeenAt, cell: (s) => time(s.lastSeenAt) },
    { id: 'idleExpiresAt', header: 'Idle expiry', width: '116px', csv: (s) => s.idleExpiresAt, cell: (s) => time(s.idleExpiresAt) },
    { id: 'absoluteExpiresAt', header: 'Absolute expiry', width: '132px', csv: (s) => s.absoluteExpiresAt, cell: (s) => time(s.absoluteExpiresAt) },
    {
      id: 'flags',
      header: 'Flags',
      width: '102px',
      csv: (s) => s.flags.map((f) => FLAG_LABELS[f]).join('; '),
      cell: (s) =>
        s.flags.length === 0 ? null : (
          <span data-testid="session-flags">
            {s.flags.map((f) => (
              <Tag key={f} minimal intent="warning" className="attest-session-flag">
                {FLAG_LABELS[f]}
              </Tag>
            ))}
          </span>
        ),
    },
  ];
  columns.push({
    id: 'actions',
    header: '',
    width: '116px',
    cell: (s) =>
      s.current ? (
        <Tag minimal intent="primary" data-testid="session-current" title="The session this console is using">
          This session
        </Tag>
      ) : (
        onRevoke && (
          <Button
            size="small"
            variant="minimal"
            intent="danger"
            icon={<DisableIcon />}
            text="Revoke"
            data-testid="session-revoke"
            onClick={(event) => {
              event.stopPropagation();
              onRevoke(s);
            }}
          />
        )
      ),
  });
  return columns;
}
