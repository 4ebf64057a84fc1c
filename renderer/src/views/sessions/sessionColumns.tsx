import { Classes } from '@blueprintjs/core';
import { CellButton } from '../../components/CellButton';
import { CellTag } from '../../components/CellTag';
import type { SessionSummary } from '../../../../shared/sessions/schemas';
import type { DataColumn } from '../../components/DataTable';
import { SessionFlagsCell } from './SessionFlagsCell';
import { DateTime } from '../../components/DateTime';
import { utcInstant } from '../../platform/dateTime';
import { FLAG_MEANINGS, parseDevice } from './deviceModel';
import { PersonCell } from '../../components/PersonCell';
import { REVOKE_ICON } from '../../components/cellIcons';

/** `onRevoke` (and `onReview` of flags) null: the caller may not revoke others' sessions (the console's own is ended by signing out). */
export function sessionColumns(onRevoke: ((session: SessionSummary) => void) | null, onReview: ((session: SessionSummary) => void) | null = null): DataColumn<SessionSummary>[] {
  const columns: DataColumn<SessionSummary>[] = [
    {
      id: 'user',
      header: 'User',
      width: 'auto',
      glance: true,
      csv: (s) => s.displayName || s.email,
      cell: (s) => <PersonCell userId={s.userId} name={s.displayName} email={s.email} />,
    },
    {
      id: 'device',
      header: 'Device · IP',
      width: '190px',
      csv: (s) => [parseDevice(s.userAgent).summary, s.ip ?? ''].join(' · '),
      cell: (s) => {
        const device = parseDevice(s.userAgent);
        return (
          <span title={s.userAgent ?? 'The client sent no user agent'} data-testid="session-device" className={device.browser || device.os ? undefined : Classes.TEXT_MUTED}>
            {device.summary}
            <span className={Classes.TEXT_MUTED}> · {s.ip ?? 'unknown address'}</span>
          </span>
        );
      },
    },
    { id: 'createdAt', header: 'Signed in', width: '168px', csv: (s) => s.createdAt, cell: (s) => <DateTime value={s.createdAt} /> },
    { id: 'lastSeenAt', header: 'Last seen', width: '168px', glance: true, csv: (s) => s.lastSeenAt, cell: (s) => <DateTime value={s.lastSeenAt} /> },
    {
      id: 'expiresAt',
      header: 'Expires',
      // The three times fit "2026-12-05 10:47 GMT+1" in full, as Users' last sign-in does.
      width: '168px',
      // The earlier of the two limits ends the session; both are on hover.
      csv: (s) => (s.idleExpiresAt <= s.absoluteExpiresAt ? s.idleExpiresAt : s.absoluteExpiresAt),
      cell: (s) => {
        const idleFirst = s.idleExpiresAt <= s.absoluteExpiresAt;
        return <DateTime value={idleFirst ? s.idleExpiresAt : s.absoluteExpiresAt} title={`Idle expiry ${utcInstant(s.idleExpiresAt)}; absolute expiry ${utcInstant(s.absoluteExpiresAt)}`} />;
      },
    },
    {
      id: 'flags',
      header: 'Flags',
      // The Review button comes first in the cell, so a narrow window cuts flags, not the action; each flag's meaning is on hover.
      width: '150px',
      csv: (s) => s.flags.map((f) => FLAG_MEANINGS[f].label).join('; '),
      cell: (s) => <SessionFlagsCell session={s} onReview={onReview} />,
    },
  ];
  columns.push({
    id: 'actions',
    header: '',
    width: '116px',
    cell: (s) =>
      s.current ? (
        <CellTag intent="primary" data-testid="session-current" title="The session this console is using">
          This session
        </CellTag>
      ) : (
        onRevoke && (
          <CellButton
            intent="danger"
            icon={REVOKE_ICON}
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
