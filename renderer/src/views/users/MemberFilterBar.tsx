import { HTMLSelect } from '@blueprintjs/core';
import { MEMBER_SORTS, MemberSortSchema } from '../../../../shared/identity/members';
import { TENANT_ROLE_LABELS, TENANT_ROLES, TenantRoleSchema } from '../../../../shared/identity/roles';
import { MEMBER_STATUSES, MemberStatusSchema } from '../../../../shared/identity/schemas';
import type { MemberFilters } from './membersStore';

const SORT_LABELS = { email: 'Email', role: 'Role', status: 'Status', mfa: 'MFA', last_sign_in: 'Last sign-in' } as const;
const STATUS_LABELS = { active: 'Active', invited: 'Invited', deactivated: 'Deactivated' } as const;

/** Role, status and MFA filters and the sort order: the service filters and sorts. */
export const MemberFilterBar = ({ filters, onChange }: { filters: MemberFilters; onChange(filters: MemberFilters): void }) => {
  const without = <K extends keyof MemberFilters>(key: K): MemberFilters => {
    const { [key]: _dropped, ...rest } = filters;
    return rest;
  };
  return (
    <span className="attest-member-filters" data-testid="users-filters">
      <HTMLSelect
        aria-label="Role"
        value={filters.role ?? ''}
        onChange={(e) => {
          const role = TenantRoleSchema.safeParse(e.currentTarget.value);
          onChange(role.success ? { ...filters, role: role.data } : without('role'));
        }}
        options={[{ value: '', label: 'Any role' }, ...TENANT_ROLES.map((r) => ({ value: r, label: TENANT_ROLE_LABELS[r] }))]}
        data-testid="users-filter-role"
      />
      <HTMLSelect
        aria-label="Status"
        value={filters.status ?? ''}
        onChange={(e) => {
          const status = MemberStatusSchema.safeParse(e.currentTarget.value);
          onChange(status.success ? { ...filters, status: status.data } : without('status'));
        }}
        options={[{ value: '', label: 'Any status' }, ...MEMBER_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))]}
        data-testid="users-filter-status"
      />
      <HTMLSelect
        aria-label="MFA"
        value={filters.mfa ?? ''}
        onChange={(e) => {
          const v = e.currentTarget.value;
          onChange(v === 'enrolled' || v === 'not_enrolled' ? { ...filters, mfa: v } : without('mfa'));
        }}
        options={[
          { value: '', label: 'Any MFA' },
          { value: 'enrolled', label: 'MFA enrolled' },
          { value: 'not_enrolled', label: 'MFA not enrolled' },
        ]}
        data-testid="users-filter-mfa"
      />
      <HTMLSelect
        aria-label="Sort by"
        value={`${filters.sort ?? 'email'}:${filters.order ?? 'asc'}`}
        onChange={(e) => {
          const [sort, order] = e.currentTarget.value.split(':');
          const parsed = MemberSortSchema.safeParse(sort);
          if (parsed.success) onChange({ ...filters, sort: parsed.data, order: order === 'desc' ? 'desc' : 'asc' });
        }}
        options={MEMBER_SORTS.flatMap((s) => [
          { value: `${s}:asc`, label: `${SORT_LABELS[s]} ↑` },
          { value: `${s}:desc`, label: `${SORT_LABELS[s]} ↓` },
        ])}
        data-testid="users-sort"
      />
    </span>
  );
};
