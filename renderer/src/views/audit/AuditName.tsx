import { Classes } from '@blueprintjs/core';
import type { MouseEvent } from 'react';
import { PersonLink } from '../../components/PersonLink';
import { useNavigationStore } from '../../shell/navigationStore';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { useIncidentSelection } from '../incidents/incidentSelection';
import { useSessionsStore } from '../sessions/sessionsStore';
import { useTenantsStore } from '../tenants/tenantsStore';
import type { Named, NameLink } from './auditNames';

const follow = (link: NameLink): void => {
  if (link.section === 'incidents') useIncidentSelection.getState().select(link.id);
  if (link.section === 'tenants') useTenantsStore.getState().select(link.id as TenantId);
  if (link.section === 'sessions') useSessionsStore.getState().select(link.id);
  useNavigationStore.getState().go(link.section);
};

/** A name as the audit view shows it: unknown ones muted, the id on hover, a link where a view shows the thing. */
export const AuditName = ({ named, testId }: { named: Named; testId?: string }) => {
  const className = named.known ? undefined : Classes.TEXT_MUTED;
  if (named.personId)
    return (
      <span title={named.title} data-testid={testId} data-known>
        <PersonLink userId={named.personId} name={named.label} />
      </span>
    );
  if (named.link) {
    const link = named.link;
    const onClick = (event: MouseEvent) => {
      event.stopPropagation();
      follow(link);
    };
    return (
      <button type="button" title={named.title} className={`attest-link-button ${className ?? ''}`} onClick={onClick} data-testid={testId}>
        {named.label}
      </button>
    );
  }
  return (
    <span title={named.title} className={className} data-testid={testId} data-known={named.known}>
      {named.label}
    </span>
  );
};
