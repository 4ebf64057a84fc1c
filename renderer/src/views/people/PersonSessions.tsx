import { Classes, HTMLTable, Tag, Tooltip } from '@blueprintjs/core';
import type { Person } from '../../../../shared/people/schemas';
import { DateTime } from '../../components/DateTime';
import { FLAG_MEANINGS, parseDevice } from '../sessions/deviceModel';

/** The person's live sessions: parsed device, address, the tenants each serves, times, and every flag with its meaning. */
export function PersonSessions({ person, tenantName }: { person: Person; tenantName: (id: string) => string }) {
  if (person.sessions.length === 0) return <p className={Classes.TEXT_MUTED} data-testid="person-no-sessions">No live sessions.</p>;
  return (
    <HTMLTable compact className="attest-person-table" data-testid="person-sessions">
      <thead>
        <tr>
          <th>Device</th>
          <th>IP</th>
          <th>Tenants</th>
          <th>Signed in</th>
          <th>Last seen</th>
          <th>Idle expiry</th>
          <th>Flags</th>
        </tr>
      </thead>
      <tbody>
        {person.sessions.map((s) => {
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
              <td data-testid="session-flags">
                {s.flags.length === 0 ? (
                  <span className={Classes.TEXT_MUTED}>None</span>
                ) : (
                  s.flags.map((f) => (
                    <Tooltip key={f} content={FLAG_MEANINGS[f].meaning} compact>
                      <Tag minimal intent="warning" className="attest-session-flag" title={FLAG_MEANINGS[f].meaning} tabIndex={0}>
                        {FLAG_MEANINGS[f].label}
                      </Tag>
                    </Tooltip>
                  ))
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </HTMLTable>
  );
}
