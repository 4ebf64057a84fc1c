import { Button, Callout, Classes, HTMLSelect, Section, SectionCard, Spinner, Tag } from '@blueprintjs/core';
import { CrossIcon, FlameIcon, HistoryIcon, KeyIcon, PauseIcon, PeopleIcon, PlayIcon, RefreshIcon } from '@blueprintjs/icons';
import { useEffect, useState, type ReactElement, type ReactNode } from 'react';
import type { Action } from '../../../../shared/identity/permissions';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { TenantSummary } from '../../../../shared/tenants/api';
import { PLANS, PlanSchema, type Tenant } from '../../../../shared/tenants/tenant';
import { useAuthStore } from '../../auth/authStore';
import { allowed } from '../../auth/grants';
import { adviceFor } from '../../components/errorAdvice';
import { toIpcError } from '../../platform/ipcError';
import { useNavigationStore } from '../../shell/navigationStore';
import type { SectionId } from '../../shell/sectionIds';
import { useIncidentSelection } from '../incidents/incidentSelection';
import { MfaPolicyPanel } from '../users/MfaPolicyPanel';
import { useMembersStore } from '../users/membersStore';
import { planLabel, RegionTag } from './tenantColumns';
import { mfaCoverage } from './tenantPageModel';
import { useTenantPageStore } from './tenantPageStore';
import { TenantSettingsForm } from './TenantSettingsForm';
import { TenantStatusDialog } from './TenantStatusDialog';
import { useTenantsStore } from './tenantsStore';
import { DateTime } from '../../components/DateTime';
import { formatCount } from '../../components/formatCount';

const RESIDENCY: Record<Tenant['region'], string> = {
  eu: 'Data resides in the EU: only the EU service writes it.',
  us: 'Data resides in the US: only the US service writes it.',
};

const when = (iso: string | null, never: string) => (iso ? <DateTime value={iso} /> : <span className={Classes.TEXT_MUTED}>{never}</span>);

const LoadError = ({ what, error, onRetry }: { what: string; error: IpcErrorShape; onRetry(): void }) => (
  <Callout compact intent="warning" title={`Could not load ${what}`} data-testid="tenant-page-error" data-code={error.code}>
    <p>
      <code>{error.code}</code> {error.message} {adviceFor(error.code)}
    </p>
    <Button size="small" icon={<RefreshIcon />} text="Retry" onClick={onRetry} />
  </Callout>
);

/** A count that opens the section it counts, narrowed to this tenant. */
const CountLink = ({ label, value, detail, icon, testId, onOpen }: { label: string; value: ReactNode; detail?: ReactNode; icon: ReactElement; testId: string; onOpen?: () => void }) => (
  <li className="attest-count">
    <span className="attest-count-label">{label}</span>
    <span className="attest-count-body">
      <strong className="attest-count-value" data-testid={testId}>
        {value}
      </strong>
      {detail && <span className="attest-count-detail">{detail}</span>}
    </span>
    {onOpen ? <Button size="small" variant="minimal" icon={icon} text="Open" aria-label={`Open ${label.toLowerCase()}`} onClick={onOpen} data-testid={`${testId}-open`} /> : <span />}
  </li>
);

const Counts = ({ tenant, summary, open }: { tenant: Tenant; summary: TenantSummary; open(section: SectionId): void }) => {
  const coverage = mfaCoverage(summary);
  return (
    <ul className="attest-counts" aria-label={`Counts for ${tenant.name}`} data-testid="tenant-counts">
      <CountLink
        label="Members"
        value={formatCount(summary.members.active)}
        detail={`active · ${formatCount(summary.members.invited)} invited · ${formatCount(summary.members.deactivated)} deactivated`}
        icon={<PeopleIcon />}
        testId="tenant-count-members"
        onOpen={() => open('users')}
      />
      <CountLink
        label="MFA coverage"
        value={
          <Tag minimal intent={summary.members.active === 0 ? 'none' : coverage.complete ? 'success' : 'warning'}>
            {coverage.text}
          </Tag>
        }
        icon={<PeopleIcon />}
        testId="tenant-count-mfa"
      />
      <CountLink label="Live sessions" value={formatCount(summary.liveSessions)} icon={<KeyIcon />} testId="tenant-count-sessions" onOpen={() => open('sessions')} />
      <CountLink
        label="Open incidents"
        value={formatCount(summary.openIncidents)}
        icon={<FlameIcon />}
        testId="tenant-count-incidents"
        onOpen={() => {
          useIncidentSelection.getState().filterTenant({ id: tenant.id, name: tenant.name });
          open('incidents');
        }}
      />
      <CountLink
        label="Audit log"
        value={`${formatCount(summary.audit.treeSize)} events`}
        detail={
          <>
            {summary.audit.headIssuedAt ? <>head signed {when(summary.audit.headIssuedAt, '')}</> : 'no signed head yet'} ·{' '}
            {summary.audit.lastVerifiedAt ? <>verified {when(summary.audit.lastVerifiedAt, '')}</> : 'never verified'}
          </>
        }
        icon={<HistoryIcon />}
        testId="tenant-count-audit"
        onOpen={() => open('audit')}
      />
    </ul>
  );
};

const PlanField = ({ tenant, canChange }: { tenant: Tenant; canChange: boolean }) => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  if (!canChange) return <>{planLabel(tenant.plan)}</>;
  return (
    <>
      <HTMLSelect
        aria-label="Plan"
        value={tenant.plan}
        disabled={busy}
        data-testid="tenant-plan"
        options={PLANS.map((p) => ({ value: p, label: planLabel(p) }))}
        onChange={(e) => {
          const plan = PlanSchema.safeParse(e.currentTarget.value);
          if (!plan.success || plan.data === tenant.plan) return;
          setBusy(true);
          setError(null);
          useTenantPageStore
            .getState()
            .setPlan(tenant.id, tenant.name, plan.data)
            .catch((failure: unknown) => setError(toIpcError(failure)))
            .finally(() => setBusy(false));
        }}
      />
      {error && (
        <Tag minimal intent="danger" data-testid="tenant-plan-error" data-code={error.code}>
          {error.code === 'step_up_required' ? 'Not confirmed; the plan is unchanged' : error.message}
        </Tag>
      )}
    </>
  );
};

/**
 * The selected tenant's page: what it is, its settings (name, session limits, MFA
 * enforcement, plan for platform staff), its counts with links into the sections
 * they count, its audit log's head, and suspension for platform staff.
 */
export const TenantPage = ({ fallback }: { fallback: Tenant | undefined }) => {
  const me = useAuthStore((s) => (s.state?.step === 'signed_in' ? s.state.me : null));
  const detail = useTenantsStore((s) => s.detail);
  const selectedId = useTenantsStore((s) => s.selectedId);
  const select = useTenantsStore((s) => s.select);
  const page = useTenantPageStore();
  const members = useMembersStore((s) => s.list);
  const policy = useMembersStore((s) => s.policy);
  const [statusChange, setStatusChange] = useState<'suspend' | 'reinstate' | null>(null);
  const may = (action: Action) => selectedId !== null && allowed(me, action, selectedId);
  const readsSettings = may('tenant_settings.read');
  const readsSummary = may('tenants.summary');
  const reads = { settings: readsSettings, summary: readsSummary };
  const readsMembers = may('members.read');

  useEffect(() => {
    if (selectedId === null) return;
    void useTenantPageStore.getState().load(selectedId, { settings: readsSettings, summary: readsSummary });
    if (readsMembers) {
      void useMembersStore.getState().load(selectedId);
      void useMembersStore.getState().loadPolicy(selectedId);
    }
  }, [selectedId, readsSettings, readsSummary, readsMembers]);

  if (selectedId === null) return null;
  const tenant = 'value' in detail && detail.value ? detail.value : fallback;
  const mine = page.tenantId === selectedId;
  const settings = mine && 'value' in page.settings ? page.settings.value : undefined;
  const summary = mine && 'value' in page.summary ? page.summary.value : undefined;
  const memberPage = 'value' in members && members.value && members.tenantId === selectedId ? members.value : undefined;
  const open = (section: SectionId) => useNavigationStore.getState().go(section);
  const reload = () => void page.load(selectedId, reads);
  const loading = detail.status === 'loading' || (mine && (page.settings.status === 'loading' || page.summary.status === 'loading'));

  return (
    <aside className="attest-detail attest-tenant-page" aria-label={`Tenant ${tenant?.name ?? ''}`} data-testid="tenant-detail">
      <Section
        compact
        title={
          <span className="attest-tenant-title">
            <span data-testid="tenant-page-name">{tenant?.name ?? 'Tenant'}</span>
            {tenant?.status === 'suspended' && (
              <Tag intent="danger" minimal data-testid="tenant-suspended">
                Suspended
              </Tag>
            )}
          </span>
        }
        rightElement={
          <div className="attest-detail-actions">
            {loading && <Spinner size={14} aria-label="Loading tenant" />}
            <Button variant="minimal" size="small" icon={<RefreshIcon />} aria-label="Reload" title="Reload" onClick={() => { select(selectedId); reload(); }} />
            <Button variant="minimal" size="small" icon={<CrossIcon />} aria-label="Close details" title="Close details (Esc in the table)" onClick={() => select(null)} />
          </div>
        }
      >
        {detail.status === 'error' && (
          <SectionCard>
            <LoadError what="this tenant" error={detail.error} onRetry={() => select(selectedId)} />
          </SectionCard>
        )}
        {tenant && (
          <SectionCard>
            <dl className="attest-fields attest-fields-stacked">
              <dt>Slug</dt>
              <dd className="attest-mono" data-testid="tenant-slug">
                {tenant.slug}
              </dd>
              <dt>Region</dt>
              <dd>
                <RegionTag region={tenant.region} /> <span className={Classes.TEXT_MUTED}>{RESIDENCY[tenant.region]}</span>
              </dd>
              <dt>Plan</dt>
              <dd>
                <PlanField tenant={tenant} canChange={may('tenants.plan')} />
              </dd>
              <dt>Created</dt>
              <dd>{when(tenant.createdAt, '')}</dd>
              <dt>Tenant ID</dt>
              <dd className="attest-mono" data-testid="tenant-detail-id">
                {tenant.id}
              </dd>
            </dl>
          </SectionCard>
        )}
        {reads.summary && (
          <SectionCard>
            {mine && page.summary.status === 'error' && <LoadError what="the counts" error={page.summary.error} onRetry={reload} />}
            {summary && tenant && <Counts tenant={tenant} summary={summary} open={open} />}
          </SectionCard>
        )}
        {reads.settings && (
          <SectionCard>
            <h2 className="attest-section-heading">Settings</h2>
            {mine && page.settings.status === 'error' && <LoadError what="the settings" error={page.settings.error} onRetry={reload} />}
            {settings && (
              <TenantSettingsForm
                key={`${selectedId}:${settings.name}:${settings.idleTimeoutSeconds}:${settings.absoluteTimeoutSeconds}`}
                tenantId={selectedId}
                settings={settings}
                canWrite={may('tenant_settings.write')}
              />
            )}
            {memberPage && policy?.tenantId === selectedId && (
              <MfaPolicyPanel tenantId={selectedId} policy={policy.value} counts={memberPage.counts} members={memberPage.items} canChange={may('mfa_policy.write')} />
            )}
          </SectionCard>
        )}
        {!reads.settings && !reads.summary && (
          <SectionCard>
            <p className={Classes.TEXT_MUTED}>Settings and counts are for the tenant’s owners and admins, and platform staff.</p>
          </SectionCard>
        )}
        {tenant && may('tenants.suspend') && (
          <SectionCard className="attest-tenant-lifecycle">
            {tenant.status === 'active' ? (
              <Button size="small" intent="danger" variant="outlined" icon={<PauseIcon />} text="Suspend…" onClick={() => setStatusChange('suspend')} data-testid="tenant-suspend" />
            ) : (
              <Button size="small" intent="primary" variant="outlined" icon={<PlayIcon />} text="Reinstate…" onClick={() => setStatusChange('reinstate')} data-testid="tenant-reinstate" />
            )}
            <span className={Classes.TEXT_MUTED}>Needs a second person’s approval.</span>
          </SectionCard>
        )}
      </Section>
      {tenant && statusChange && <TenantStatusDialog tenant={tenant} change={statusChange} onClose={() => setStatusChange(null)} />}
    </aside>
  );
};
