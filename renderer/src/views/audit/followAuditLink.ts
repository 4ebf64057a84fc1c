import type { TenantId } from '../../../../shared/tenants/tenant';
import { useNavigationStore } from '../../shell/navigationStore';
import { useIncidentSelection } from '../incidents/incidentSelection';
import { useSessionsStore } from '../sessions/sessionsStore';
import { NO_FILTER } from '../sessions/sessionsModel';
import { useTenantsStore } from '../tenants/tenantsStore';
import type { NameLink } from './auditNames';

/**
 * Opens what an audit name links to. A session opens in its tenant's Sessions view
 * (the view lists the selected tenant's), unfiltered so a filter set earlier does
 * not hide it.
 */
export const followAuditLink = (link: NameLink): void => {
  if (link.section === 'incidents') useIncidentSelection.getState().select(link.id);
  if (link.section === 'tenants') useTenantsStore.getState().select(link.id as TenantId);
  if (link.section === 'sessions') {
    if (link.tenantId) useTenantsStore.getState().select(link.tenantId as TenantId);
    const sessions = useSessionsStore.getState();
    sessions.setFilter(NO_FILTER);
    sessions.select(link.id);
  }
  useNavigationStore.getState().go(link.section);
};
