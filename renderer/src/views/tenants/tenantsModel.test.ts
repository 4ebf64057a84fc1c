import { describe, expect, it } from 'vitest';
import { TenantSchema, type Tenant } from '../../../../shared/tenants/tenant';
import { filterByFacets, filterTenants, sortTenants, visibleTenants } from './tenantsModel';

const tenant = (id: string, name: string, region: 'eu' | 'us', plan: Tenant['plan'], createdAt: string): Tenant =>
  TenantSchema.parse({ id: `00000000-0000-4000-8000-00000000000${id}`, name, slug: `tenant-${id}`, region, plan, status: 'active', createdAt });

const NORTHWIND = tenant('1', 'Northwind Health', 'eu', 'enterprise', '2024-03-01T09:30:00Z');
const ACME = tenant('2', 'acme Logistics', 'us', 'team', '2023-11-15T12:00:00Z');
const ZOLLER = tenant('3', 'Zöller Bank', 'eu', 'free', '2025-01-20T08:00:00Z');
const BETA = tenant('4', 'Beta 10', 'us', 'team', '2024-03-01T09:30:00Z');
const BETA_2 = tenant('5', 'Beta 2', 'us', 'team', '2024-06-01T09:30:00Z');
const ALL = [NORTHWIND, ACME, ZOLLER, BETA, BETA_2];
const SUSPENDED = TenantSchema.parse({ ...BETA, id: '00000000-0000-4000-8000-000000000006', name: 'Gamma', slug: 'gamma', status: 'suspended' });

const names = (tenants: readonly Tenant[]) => tenants.map((t) => t.name);

describe('sortTenants', () => {
  it('sorts names case-insensitively and numbers naturally', () => {
    expect(names(sortTenants(ALL, { key: 'name', direction: 'asc' }))).toEqual([
      'acme Logistics',
      'Beta 2',
      'Beta 10',
      'Northwind Health',
      'Zöller Bank',
    ]);
  });

  it('reverses for descending order', () => {
    expect(names(sortTenants(ALL, { key: 'name', direction: 'desc' }))[0]).toBe('Zöller Bank');
  });

  it('sorts plans by tier, not alphabetically, with name breaking ties', () => {
    expect(names(sortTenants(ALL, { key: 'plan', direction: 'asc' }))).toEqual([
      'Zöller Bank',
      'acme Logistics',
      'Beta 2',
      'Beta 10',
      'Northwind Health',
    ]);
  });

  it('sorts by creation time and region', () => {
    expect(names(sortTenants(ALL, { key: 'createdAt', direction: 'desc' }))).toEqual([
      'Zöller Bank',
      'Beta 2',
      'Beta 10',
      'Northwind Health',
      'acme Logistics',
    ]);
    expect(sortTenants(ALL, { key: 'region', direction: 'asc' }).map((t) => t.region)).toEqual(['eu', 'eu', 'us', 'us', 'us']);
  });

  it('does not change its input', () => {
    const input = [...ALL];
    sortTenants(input, { key: 'name', direction: 'asc' });
    expect(input).toEqual(ALL);
  });
});

describe('filterTenants', () => {
  it('keeps everything for an empty or blank query', () => {
    expect(filterTenants(ALL, '')).toEqual(ALL);
    expect(filterTenants(ALL, '   ')).toEqual(ALL);
  });

  it('matches name, region and plan, ignoring case and accents', () => {
    expect(names(filterTenants(ALL, 'north'))).toEqual(['Northwind Health']);
    expect(names(filterTenants(ALL, 'ZOLLER'))).toEqual(['Zöller Bank']);
    expect(names(filterTenants(ALL, 'enterprise'))).toEqual(['Northwind Health']);
  });

  it('needs every term to match', () => {
    expect(names(filterTenants(ALL, 'us team beta'))).toEqual(['Beta 10', 'Beta 2']);
    expect(filterTenants(ALL, 'eu team')).toEqual([]);
  });

  it('finds a tenant by its id', () => {
    expect(filterTenants(ALL, '000000000003')).toEqual([ZOLLER]);
  });
});

describe('visibleTenants', () => {
  it('filters, then sorts', () => {
    expect(names(visibleTenants(ALL, 'us', { key: 'name', direction: 'desc' }))).toEqual(['Beta 10', 'Beta 2', 'acme Logistics']);
  });
});

describe('filterByFacets (platform staff: region, plan, status)', () => {
  it('keeps everything without facets and narrows by each one given', () => {
    const all = [...ALL, SUSPENDED];
    expect(filterByFacets(all, {})).toEqual(all);
    expect(names(filterByFacets(all, { region: 'eu' }))).toEqual(['Northwind Health', 'Zöller Bank']);
    expect(names(filterByFacets(all, { region: 'us', plan: 'team', status: 'active' }))).toEqual(['acme Logistics', 'Beta 10', 'Beta 2']);
    expect(names(filterByFacets(all, { status: 'suspended' }))).toEqual(['Gamma']);
    expect(filterByFacets(all, { region: 'eu', plan: 'team' })).toEqual([]);
  });

  it('the text filter also finds the slug and the status', () => {
    expect(names(filterTenants([...ALL, SUSPENDED], 'suspended'))).toEqual(['Gamma']);
    expect(names(filterTenants(ALL, 'tenant-3'))).toEqual(['Zöller Bank']);
  });
});
