import { createPersonStore } from '../../platform/personStore';

interface IncidentSelection {
  /** The incident open in the incidents section: kept across sections, set by a link to one. */
  incidentId: string | null;
  select(incidentId: string | null): void;
  /** The tenant the list is narrowed to (set by the Tenant page's link), or null for all. */
  tenantFilter: { id: string; name: string } | null;
  filterTenant(tenant: { id: string; name: string } | null): void;
}

export const useIncidentSelection = createPersonStore<IncidentSelection>('incidentSelection', (set) => ({
  incidentId: null,
  select: (incidentId) => set({ incidentId }),
  tenantFilter: null,
  filterTenant: (tenantFilter) => set({ tenantFilter }),
}));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The incident a link names (`?incident=<id>`), or null: what the console opens first after sign-in. */
export const incidentLinkOf = (search: string): string | null => {
  const id = new URLSearchParams(search).get('incident');
  return id !== null && UUID.test(id) ? id.toLowerCase() : null;
};
