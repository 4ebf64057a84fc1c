import { Button, Classes, Tag } from '@blueprintjs/core';
import { DisableIcon } from '@blueprintjs/icons';
import type { SessionSummary } from '../../../../shared/sessions/schemas';
import type { DataColumn } from '../../components/DataTable';
import { FLAG_LABELS } from './sessionsModel';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const time = (iso: string) => <time dateTime={iso}>{dateTime.format(new Date(iso))}</time>;

export function sessionColumns(onRevoke: ((session: SessionSummary) => void) | null, mayRevoke: (session: SessionSummary) => boolean): DataColumn<SessionSummary>[] {
  const columns: DataColumn<SessionSummary>[] = [
    {
      id: 'user',
      header: 'User',
      width: 'auto',
      cell: (s) => (
        <span className="attest-member-name">
          <span className="attest-cell-strong">{s.displayName || s.email}</span>
          {s.current && (
            <Tag minimal intent="primary" data-testid="session-current">
              This session
            </Tag>
          )}
          <span className={Classes.TEXT_MUTED}>{s.email}</span>
        </span>
      ),
    },
    {
      id: 'device',
      header: 'Device',
      width: '200px',
      cell: (s) => (s.userAgent ? <span title={s.userAgent}>{s.userAgent}</span> : <span className={Classes.TEXT_MUTED}>Unknown</span>),
    },
    { id: 'ip', header: 'IP', width: '128px', cell: (s) => s.ip ?? <span className={Classes.TEXT_MUTED}>Unknown</span> },
    { id: 'createdAt', header: 'Signed in', width: '152px', cell: (s) => time(s.createdAt) },
    { id: 'lastSeenAt', header: 'Last seen', width: '152px', cell: (s) => time(s.lastSeenAt) },
    { id: 'idleExpiresAt', header: 'Idle expiry', width: '152px', cell: (s) => time(s.idleExpiresAt) },
    { id: 'absoluteExpiresAt', header: 'Absolute expiry', width: '152px', cell: (s) => time(s.absoluteExpiresAt) },
    {
      id: 'flags',
      header: 'Flags',
      width: '176px',
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
  if (onRevoke) {
    columns.push({
      id: 'actions',
      header: '',
      width: '96px',
      cell: (s) =>
        mayRevoke(s) && (
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
        ),
    });
  }
  return columns;
}
