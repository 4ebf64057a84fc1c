import { useEffect, useMemo } from 'react';
import type { Action } from '../../../../shared/identity/permissions';
import type { Tenant, TenantId } from '../../../../shared/tenants/tenant';
import { useAuthStore } from '../../auth/authStore';
import { allowed } from '../../auth/grants';
import { useTenantsStore } from './tenantsStore';

/**
 * The tenants in which the signed-in person may do `action`, and the one a
 * tenant-scoped view shows: the tenant selected anywhere in the console, else
 * the first such tenant. Loads the tenant list when nobody has yet.
 */
export function useScopedTenants(action: Action) {
  const me = useAuthStore((s) => (s.state?.step === 'signed_in' ? s.state.me : null));
  const tenantsLoad = useTenantsStore((s) => s.list);
  const selectedTenant = useTenantsStore((s) => s.selectedId);

  useEffect(() => {
    if (useTenantsStore.getState().list.status === 'idle') void useTenantsStore.getState().load();
  }, []);

  const tenants: Tenant[] = useMemo(
    () => ('value' in tenantsLoad && tenantsLoad.value ? tenantsLoad.value.filter((t) => allowed(me, action, t.id)) : []),
    [tenantsLoad, me, action],
  );
  const tenant: Tenant | undefined = tenants.find((t) => t.id === selectedTenant) ?? tenants[0];
  const tenantId: TenantId | undefined = tenant?.id;
  return { me, tenants, tenant, tenantId, tenantsLoading: tenantsLoad.status !== 'ready' && tenants.length === 0 };
}
