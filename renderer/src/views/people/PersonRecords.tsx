import { Classes, HTMLTable, Tag } from '@blueprintjs/core';
import type { Person } from '../../../../shared/people/schemas';
import { TENANT_ROLE_LABELS } from '../../../../shared/identity/roles';
import { DateTime } from '../../components/DateTime';
import { PersonLink } from '../../components/PersonLink';

const STATUS_INTENT = { active: 'success', invited: 'primary', deactivated: 'none', expired: 'none', revoked: 'none' } as const;

export function PersonMemberships({ person }: { person: Person }) {
  return (
    <HTMLTable compact className="attest-person-table" data-testid="person-memberships">
      <thead>
        <tr>
          <th>Tenant</th>
          <th>Role</th>
          <th>Status</th>
          <th>MFA</th>
          <th>Last sign-in</th>
        </tr>
      </thead>
      <tbody>
        {person.memberships.map((m) => (
          <tr key={m.tenantId} data-testid="person-membership" data-status={m.status}>
            <td className="attest-cell-strong" title={m.tenantId}>
              {m.tenantName}
            </td>
            <td>{TENANT_ROLE_LABELS[m.role]}</td>
            <td>
              <Tag minimal intent={STATUS_INTENT[m.status]}>
                {m.status}
              </Tag>
            </td>
            <td>{m.mfaEnrolled ? 'Enrolled' : <span className={Classes.TEXT_MUTED}>Not enrolled</span>}</td>
            <td>
              <DateTime value={m.lastSignInAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </HTMLTable>
  );
}

export function PersonTokens({ person, tenantName }: { person: Person; tenantName: (id: string) => string }) {
  if (person.apiTokens.length === 0) return <p className={Classes.TEXT_MUTED}>No API tokens.</p>;
  return (
    <HTMLTable compact className="attest-person-table" data-testid="person-tokens">
      <thead>
        <tr>
          <th>Name</th>
          <th>Tenant</th>
          <th>Scopes</th>
          <th>Created</th>
          <th>Last used</th>
          <th>Expires</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {person.apiTokens.map((t) => (
          <tr key={t.id} data-testid="person-token" data-status={t.status}>
            <td className="attest-cell-strong">{t.name}</td>
            <td>{tenantName(t.tenantId)}</td>
            <td title={t.scopes.join(', ')}>{t.scopes.length === 1 ? t.scopes[0] : `${t.scopes.length} scopes`}</td>
            <td>
              <DateTime value={t.createdAt} style="date" />
            </td>
            <td>
              <DateTime value={t.lastUsedAt} />
            </td>
            <td>
              <DateTime value={t.expiresAt} style="date" />
            </td>
            <td>
              <Tag minimal intent={STATUS_INTENT[t.status]}>
                {t.status}
              </Tag>
            </td>
          </tr>
        ))}
      </tbody>
    </HTMLTable>
  );
}

export function PersonAudit({ person }: { person: Person }) {
  if (person.recentAudit.length === 0) return <p className={Classes.TEXT_MUTED}>No audit events about them.</p>;
  return (
    <HTMLTable compact className="attest-person-table" data-testid="person-audit">
      <thead>
        <tr>
          <th>When</th>
          <th>Action</th>
          <th>By</th>
          <th>Log</th>
          <th>Outcome</th>
        </tr>
      </thead>
      <tbody>
        {person.recentAudit.map(({ event, actorName, tenantName }) => (
          <tr key={`${event.tenantId}:${event.seq}`} data-testid="person-audit-event" data-action={event.action}>
            <td>
              <DateTime value={event.at} />
            </td>
            <td>
              <code>{event.action}</code>
            </td>
            <td>
              {event.actor.type === 'user' ? (
                <PersonLink userId={event.actor.id} name={actorName} />
              ) : (
                <span className={Classes.TEXT_MUTED} title={event.actor.id}>
                  {event.actor.type}
                </span>
              )}
            </td>
            <td>{tenantName}</td>
            <td>{event.outcome}</td>
          </tr>
        ))}
      </tbody>
    </HTMLTable>
  );
}
