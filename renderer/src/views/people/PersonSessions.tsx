import { Classes, Tag } from '@blueprintjs/core';
import type { Person } from '../../../../shared/people/schemas';
import { DateTime } from '../../components/DateTime';
import { parseDevice } from '../sessions/deviceModel';
import { SessionFlagsCell } from '../sessions/SessionFlagsCell';
import { PersonTable } from './PersonTable';

/** The person's live sessions: parsed device, address, the tenants each serves, times, and every flag with its meaning and review. */
export function PersonSessions({ person, tenantName }: { person: Person; tenantName: (id: string) => string }) {
  return (
    <PersonTable
      testId="person-sessions"
      columns={['Device', 'IP', 'Tenants', 'Signed in', 'Last seen', 'Idle expiry', 'Flags']}
      items={person.sessions}
      empty={{ text: 'No live sessions.', testId: 'person-no-sessions' }}
      row={(s) => {
        const device = parseDevice(s.userAgent);
        return (
          <tr key={s.id} data-testid="person-session" data-session-id={s.id}>
            <td title={s.userAgent ?? undefined}>
              <span className="attest-cell-strong">{device.summary}</span>
              {device.kind !== 'unknown' && <span className={Classes.TEXT_MUTED}> · {device.kind}</span>}
              {s.current && (
                <Tag minimal intent="primary" className="attest-session-flag">
                  This session
                </Tag>
              )}
            </td>
            <td>{s.ip ?? <span className={Classes.TEXT_MUTED}>Unknown</span>}</td>
            <td>{s.tenantIds.map(tenantName).join(', ')}</td>
            <td>
              <DateTime value={s.createdAt} />
            </td>
            <td>
              <DateTime value={s.lastSeenAt} />
            </td>
            <td>
              <DateTime value={s.idleExpiresAt} />
            </td>
            <td>{s.flags.length === 0 ? <span className={Classes.TEXT_MUTED}>None</span> : <SessionFlagsCell session={s} onReview={null} />}</td>
          </tr>
        );
      }}
    />
  );
}
