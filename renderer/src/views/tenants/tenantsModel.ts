import { PLANS, type Tenant } from '../../../../shared/tenants/tenant';
import type { SortDirection, SortState } from '../../components/sorting';

export type TenantSortKey = 'name' | 'region' | 'plan' | 'createdAt';
export type TenantSort = SortState<TenantSortKey>;

export const TENANT_SORT_KEYS: readonly TenantSortKey[] = ['name', 'region', 'plan', 'createdAt'];
export const isTenantSortKey = (key: string): key is TenantSortKey =>
  (TENANT_SORT_KEYS as readonly string[]).includes(key);

export const DEFAULT_TENANT_SORT: TenantSort = { key: 'name', direction: 'asc' };

/** Dates read newest first when a user first sorts by them; text reads A to Z. */
export const initialDirection = (key: TenantSortKey): SortDirection => (key === 'createdAt' ? 'desc' : 'asc');

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

const compareBy: Record<TenantSortKey, (a: Tenant, b: Tenant) => number> = {
  name: (a, b) => collator.compare(a.name, b.name),
  region: (a, b) => collator.compare(a.region, b.region),
  // By tier, not alphabetically: free < team < enterprise.
  plan: (a, b) => PLANS.indexOf(a.plan) - PLANS.indexOf(b.plan),
  createdAt: (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt),
};

/** A new sorted array; ties fall back to name, then id, so the order is stable across reloads. */
export const sortTenants = (tenants: readonly Tenant[], sort: TenantSort): Tenant[] => {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const primary = compareBy[sort.key];
  return [...tenants].sort(
    (a, b) => sign * primary(a, b) || compareBy.name(a, b) || collator.compare(a.id, b.id),
  );
};

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * Every whitespace-separated term must match the name, slug, region, plan, status or id
 * (so "eu ent" finds EU enterprise tenants).
 */
export const filterTenants = (tenants: readonly Tenant[], query: string): Tenant[] => {
  const terms = fold(query).split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...tenants];
  return tenants.filter((tenant) => {
    const haystack = fold(`${tenant.name} ${tenant.slug} ${tenant.region} ${tenant.plan} ${tenant.status} ${tenant.id}`);
    return terms.every((term) => haystack.includes(term));
  });
};

export const visibleTenants = (tenants: readonly Tenant[], query: string, sort: TenantSort): Tenant[] =>
  sortTenants(filterTenants(tenants, query), sort);

/** Platform staff's filters over the whole list: region, plan and status (unset: any). */
export interface TenantFacets {
  region?: Tenant['region'];
  plan?: Tenant['plan'];
  status?: Tenant['status'];
}

export const filterByFacets = (tenants: readonly Tenant[], facets: TenantFacets): Tenant[] =>
  tenants.filter(
    (t) =>
      (facets.region === undefined || t.region === facets.region) &&
      (facets.plan === undefined || t.plan === facets.plan) &&
      (facets.status === undefined || t.status === facets.status),
  );
