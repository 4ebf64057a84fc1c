import { Button, Callout, Classes, Section, SectionCard, Spinner } from '@blueprintjs/core';
import { CrossIcon, RefreshIcon } from '@blueprintjs/icons';
import type { Tenant } from '../../../../shared/tenants/tenant';
import { adviceFor } from '../../components/errorAdvice';
import { dateTimeFormat, planLabel, RegionTag } from './tenantColumns';
import { useTenantsStore } from './tenantsStore';

const RESIDENCY: Record<Tenant['region'], string> = {
  eu: 'Data resides in the EU: only the EU service writes it.',
  us: 'Data resides in the US: only the US service writes it.',
};

const Fields = ({ tenant }: { tenant: Tenant }) => (
  <dl className="attest-fields attest-fields-stacked">
    <dt>Tenant ID</dt>
    <dd className="attest-mono" data-testid="tenant-detail-id">
      {tenant.id}
    </dd>
    <dt>Region</dt>
    <dd>
      <RegionTag region={tenant.region} />
      <span className={Classes.TEXT_MUTED}>{RESIDENCY[tenant.region]}</span>
    </dd>
    <dt>Plan</dt>
    <dd>{planLabel(tenant.plan)}</dd>
    <dt>Created</dt>
    <dd>
      <time dateTime={tenant.createdAt}>{dateTimeFormat.format(new Date(tenant.createdAt))}</time>
    </dd>
  </dl>
);

/** The side panel for the selected tenant, from `tenants.get` (the list row fills in while it loads). */
export const TenantDetail = ({ fallback }: { fallback: Tenant | undefined }) => {
  const detail = useTenantsStore((s) => s.detail);
  const selectedId = useTenantsStore((s) => s.selectedId);
  const select = useTenantsStore((s) => s.select);
  if (selectedId === null) return null;
  const tenant = 'value' in detail && detail.value ? detail.value : fallback;

  return (
    <aside className="attest-detail" aria-label="Tenant details" data-testid="tenant-detail">
      <Section
        compact
        title={tenant?.name ?? 'Tenant'}
        rightElement={
          <div className="attest-detail-actions">
            {detail.status === 'loading' && <Spinner size={14} aria-label="Loading tenant" />}
            <Button
              variant="minimal"
              size="small"
              icon={<CrossIcon />}
              aria-label="Close details"
              title="Close details (Esc in the table)"
              onClick={() => select(null)}
            />
          </div>
        }
      >
        <SectionCard>
          {detail.status === 'error' && (
            <Callout compact intent="warning" title="Could not load this tenant" data-testid="tenant-detail-error">
              <p>
                <code>{detail.error.code}</code> {detail.error.message}
              </p>
              <p>{adviceFor(detail.error.code)}</p>
              <Button size="small" icon={<RefreshIcon />} text="Retry" onClick={() => select(selectedId)} />
            </Callout>
          )}
          {tenant && <Fields tenant={tenant} />}
        </SectionCard>
        <SectionCard>
          <p className={Classes.TEXT_MUTED}>
            Retention schedules, data key rotation and members arrive with later work on tenants.
          </p>
        </SectionCard>
      </Section>
    </aside>
  );
};
