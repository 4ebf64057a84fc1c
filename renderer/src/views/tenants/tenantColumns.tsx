import { Classes, Tag } from '@blueprintjs/core';
import type { ReactNode } from 'react';
import type { TenantSummary } from '../../../../shared/tenants/api';
import type { Tenant } from '../../../../shared/tenants/tenant';
import type { DataColumn } from '../../components/DataTable';
import { DateTime } from '../../components/DateTime';


export const planLabel = (plan: Tenant['plan']): string => plan.charAt(0).toUpperCase() + plan.slice(1);

export const RegionTag = ({ region }: { region: Tenant['region'] }) => (
  <Tag minimal className={`attest-region attest-region-${region}`}>
    {region.toUpperCase()}
  </Tag>
);

export const TENANT_COLUMNS: readonly DataColumn<Tenant>[] = [
  { id: 'name', header: 'Name', width: 'auto', sortable: true, csv: (t) => t.name, cell: (t) => <span className="attest-cell-strong">{t.name}</span> },
  { id: 'region', header: 'Region', width: '96px', sortable: true, csv: (t) => t.region.toUpperCase(), cell: (t) => <RegionTag region={t.region} /> },
  { id: 'plan', header: 'Plan', width: '112px', sortable: true, csv: (t) => planLabel(t.plan), cell: (t) => planLabel(t.plan) },
  {
    id: 'status',
    header: 'Status',
    width: '104px',
    csv: (t) => (t.status === 'suspended' ? 'Suspended' : 'Active'),
    cell: (t) =>
      t.status === 'suspended' ? (
        <Tag minimal intent="danger">
          Suspended
        </Tag>
      ) : (
        <span className={Classes.TEXT_MUTED}>Active</span>
      ),
  },
  {
    id: 'createdAt',
    header: 'Created',
    width: '144px',
    sortable: true,
    csv: (t) => t.createdAt,
    cell: (t) => <DateTime value={t.createdAt} style="date" />,
  },
];

const pending = <span className={Classes.TEXT_MUTED}>…</span>;

/** The counts beside each tenant, for people who may read them (platform staff: every tenant); "…" until loaded. */
export const countColumns = (summaries: Readonly<Record<string, TenantSummary>>): DataColumn<Tenant>[] => {
  const of = (t: Tenant, show: (s: TenantSummary) => ReactNode) => {
    const s = summaries[t.id];
    return s ? show(s) : pending;
  };
  return [
    { id: 'members', header: 'Members', width: '84px', csv: (t) => summaries[t.id]?.members.active ?? null, cell: (t) => of(t, (s) => s.members.active) },
    {
      id: 'mfa',
      header: 'MFA',
      width: '72px',
      csv: (t) => {
        const s = summaries[t.id];
        const total = s ? s.mfa.enrolled + s.mfa.notEnrolled : 0;
        return s && total > 0 ? `${Math.floor((s.mfa.enrolled / total) * 100)} %` : null;
      },
      cell: (t) =>
        of(t, (s) => {
          const total = s.mfa.enrolled + s.mfa.notEnrolled;
          if (total === 0) return <span className={Classes.TEXT_MUTED}>—</span>;
          const percent = Math.floor((s.mfa.enrolled / total) * 100);
          return s.mfa.notEnrolled > 0 ? <Tag minimal intent="warning">{percent} %</Tag> : `${percent} %`;
        }),
    },
    { id: 'sessions', header: 'Sessions', width: '80px', csv: (t) => summaries[t.id]?.liveSessions ?? null, cell: (t) => of(t, (s) => s.liveSessions) },
    {
      id: 'incidents',
      header: 'Incidents',
      width: '84px',
      csv: (t) => summaries[t.id]?.openIncidents ?? null,
      cell: (t) =>
        of(t, (s) =>
          s.openIncidents > 0 ? (
            <Tag minimal intent="danger">
              {s.openIncidents}
            </Tag>
          ) : (
            0
          ),
        ),
    },
  ];
};
