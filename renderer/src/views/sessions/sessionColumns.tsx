import { Button, Classes, Tag } from '@blueprintjs/core';
import { DisableIcon } from '@blueprintjs/icons';
import type { SessionSummary } from '../../../../shared/sessions/schemas';
import type { DataColumn } from '../../components/DataTable';
import { DateTime } from '../../components/DateTime';
import { FLAG_MEANINGS, parseDevice } from './deviceModel';
import { PersonLink } from '../../components/PersonLink';

const time = (iso: string) => <DateTime value={iso} />;

/** `onRevoke` null: the caller may not revoke others' sessions (the console's own is ended by signing out). */
export function sessionColumns(onRevoke: ((session: SessionSummary) => void) | null): DataColumn<SessionSummary>[] {
  const columns: DataColumn<SessionSummary>[] = [
    {
      id: 'user',
      header: 'User',
      width: 'auto',
      cell: (s) => (
        <span className="attest-member-name">
          <span className="attest-cell-strong">
            <PersonLink userId={s.userId} name={s.displayName} email={s.email} />
          </span>
          <span className={Classes.TEXT_MUTED}>{s.email}</span>
        </span>
      ),
    },
    {
      id: 'device',
      header: 'Device',
      width: '190px',
      cell: (s) => {
        const device = parseDevice(s.userAgent);
        return device.kind === 'unknown' && !device.browser ? (
          <span className={Classes.TEXT_MUTED} title={s.userAgent ?? undefined}>
            {device.summary}
          </span>
        ) : (
          <span title={s.userAgent ?? undefined} data-testid="session-device">
            {device.summary}
          </span>
        );
      },
    },
    { id: 'ip', header: 'IP', width: '96px', cell: (s) => s.ip ?? <span className={Classes.TEXT_MUTED}>Unknown</span> },
    { id: 'createdAt', header: 'Signed in', width: '150px', cell: (s) => time(s.createdAt) },
    { id: 'lastSeenAt', header: 'Last seen', width: '150px', cell: (s) => time(s.lastSeenAt) },
    { id: 'idleExpiresAt', header: 'Idle expiry', width: '150px', cell: (s) => time(s.idleExpiresAt) },
    { id: 'absoluteExpiresAt', header: 'Absolute expiry', width: '150px', cell: (s) => time(s.absoluteExpiresAt) },
    {
      id: 'flags',
      header: 'Flags',
      width: '150px',
      cell: (s) =>
        s.flags.length === 0 ? null : (
          <span data-testid="session-flags">
            {s.flags.map((f) => (
              <Tag key={f} minimal intent="warning" className="attest-session-flag" title={FLAG_MEANINGS[f].meaning}>
                {FLAG_MEANINGS[f].label}
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
