import { Classes, Tag } from '@blueprintjs/core';
import type { Person } from '../../../../shared/people/schemas';
import { TENANT_ROLE_LABELS } from '../../../../shared/identity/roles';
import { DateTime } from '../../components/DateTime';
import { PersonLink } from '../../components/PersonLink';
import { PersonTable } from './PersonTable';

const STATUS_INTENT = { active: 'success', invited: 'primary', deactivated: 'none', expired: 'none', revoked: 'none' } as const;

export function PersonMemberships({ person }: { person: Person }) {
  return (
    <PersonTable
      testId="person-memberships"
      columns={['Tenant', 'Role', 'Status', 'MFA', 'Last sign-in']}
      items={person.memberships}
      row={(m) => (
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
      )}
    />
  );
}

export function PersonTokens({ person, tenantName }: { person: Person; tenantName: (id: string) => string }) {
  return (
    <PersonTable
      testId="person-tokens"
      columns={['Name', 'Tenant', 'Scopes', 'Created', 'Last used', 'Expires', 'Status']}
      items={person.apiTokens}
      empty={{ text: 'No API tokens.' }}
      row={(t) => (
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
      )}
    />
  );
}

export function PersonAudit({ person }: { person: Person }) {
  return (
    <PersonTable
      testId="person-audit"
      columns={['When', 'Action', 'By', 'Log', 'Outcome']}
      items={person.recentAudit}
      empty={{ text: 'No audit events about them.' }}
      row={({ event, actorName, tenantName }) => (
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
      )}
    />
  );
}
