import type { TenantId } from '../../../../shared/tenants/tenant';
import { useNavigationStore } from '../../shell/navigationStore';
import { useIncidentSelection } from '../incidents/incidentSelection';
import { useSessionsStore } from '../sessions/sessionsStore';
import { useTenantsStore } from '../tenants/tenantsStore';
import { useMembersStore } from '../users/membersStore';
import type { DrillDown } from './drillDownModel';

/** Opens the view a drill-down names, narrowed to the tenant shown (null for the platform). */
export function openDrillDown(target: DrillDown, tenantId: TenantId | null): void {
  if (tenantId !== null) useTenantsStore.getState().select(tenantId);
  const go = useNavigationStore.getState().go;
  switch (target.kind) {
    case 'users':
      // Set before the view mounts: its first load reads the filters from the store.
      useMembersStore.setState({ filters: target.filters, selectedUserId: null });
      return go('users');
    case 'sessions':
      useSessionsStore.getState().setFilter({ userId: null, flaggedOnly: target.flaggedOnly });
      return go('sessions');
    case 'missedIncidents':
      return go('incidents');
    case 'section':
      return go(target.section);
  }
}

/** Opens one incident in the Incidents view. */
export function openIncident(incidentId: string): void {
  useIncidentSelection.getState().select(incidentId);
  useNavigationStore.getState().go('incidents');
}
