import { Button, Classes, Tag } from '@blueprintjs/core';
import { DisableIcon } from '@blueprintjs/icons';
import type { SessionSummary } from '../../../../shared/sessions/schemas';
import type { DataColumn } from '../../components/DataTable';
import { SessionFlagsCell } from './SessionFlagsCell';
import { DateTime } from '../../components/DateTime';

const time = (iso: string) => <DateTime value={iso} />;

/** `onRevoke` (and `onReview` of flags) null: the caller may not revoke others' sessions (the console's own is ended by signing out). */
export function sessionColumns(onRevoke: ((session: SessionSummary) => void) | null, onReview: ((session: SessionSummary) => void) | null = null): DataColumn<SessionSummary>[] {
  const columns: DataColumn<SessionSummary>[] = [
    {
      id: 'user',
      header: 'User',
      width: 'auto',
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
      cell: (s) => (s.userAgent ? <span title={s.userAgent}>{s.userAgent}</span> : <span className={Classes.TEXT_MUTED}>Unknown</span>),
    },
    { id: 'ip', header: 'IP', width: '96px', cell: (s) => s.ip ?? <span className={Classes.TEXT_MUTED}>Unknown</span> },
    { id: 'createdAt', header: 'Signed in', width: '116px', cell: (s) => time(s.createdAt) },
    { id: 'lastSeenAt', header: 'Last seen', width: '116px', cell: (s) => time(s.lastSeenAt) },
    { id: 'idleExpiresAt', header: 'Idle expiry', width: '116px', cell: (s) => time(s.idleExpiresAt) },
    { id: 'absoluteExpiresAt', header: 'Absolute expiry', width: '132px', cell: (s) => time(s.absoluteExpiresAt) },
    {
      id: 'flags',
      header: 'Flags',
      width: '150px',
      cell: (s) => <SessionFlagsCell session={s} onReview={onReview} />,
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
