import { Button, Callout, Classes, HTMLSelect, NonIdealState, Spinner, Tab, Tabs, Tag } from '@blueprintjs/core';
import { DownloadIcon, RefreshIcon, ShieldIcon, TickIcon } from '@blueprintjs/icons';
import { useEffect, useMemo, useState } from 'react';
import type { Framework } from '../../../../shared/posture/frameworks';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { allowed } from '../../auth/grants';
import { DateTime } from '../../components/DateTime';
import { adviceFor } from '../../components/errorAdvice';
import { useScopedTenants } from '../tenants/useScopedTenants';
import { useTenantsStore } from '../tenants/tenantsStore';
import { ControlDetail } from './ControlDetail';
import { RemediationEditor } from './RemediationEditor';
import { ClockChart, TrendChart } from './PostureCharts';
import { PLATFORM_SCOPE, STATUS_INTENT, STATUS_LABEL, statusCounts, FRAMEWORK_LABEL } from './postureModel';
import { usePostureStore } from './postureStore';
import { ControlsBySection, FrameworkView } from './PostureTables';
import { TrustPagePanel } from './TrustPagePanel';

type TabId = 'sections' | Framework | 'trends' | 'trust';

const useScopes = () => {
  const { me, tenants, tenant, tenantsLoading } = useScopedTenants('posture.read');
  const options = useMemo(() => {
    const list = tenants.map((t) => ({ value: t.id as string, label: t.name }));
    if (me && me.platformRoles.length > 0) list.unshift({ value: PLATFORM_SCOPE, label: 'Platform' });
    return list;
  }, [tenants, me]);
  const chosen = usePostureStore((s) => s.scope);
  const scope = chosen && options.some((o) => o.value === chosen) ? chosen : (tenant?.id ?? options[0]?.value ?? null);
  return { me, options, scope, tenantsLoading };
};

const Counts = ({ controls }: { controls: Parameters<typeof statusCounts>[0] }) => {
  const counts = statusCounts(controls);
  return (
    <span className="attest-posture-counts" data-testid="posture-counts">
      {(['fail', 'warn', 'pass'] as const).map((s) => (
        <Tag key={s} minimal intent={STATUS_INTENT[s]}>
          {counts[s]} {STATUS_LABEL[s].toLowerCase()}
        </Tag>
      ))}
    </span>
  );
};

const PostureView = () => {
  const { me, options, scope, tenantsLoading } = useScopes();
  const store = usePostureStore();
  const [tab, setTab] = useState<TabId>('sections');
  useEffect(() => {
    if (scope) void usePostureStore.getState().load(scope);
  }, [scope]);

  if (!scope) {
    return tenantsLoading ? (
      <NonIdealState icon={<Spinner size={32} />} title="Loading tenants…" />
    ) : (
      <NonIdealState icon={<ShieldIcon size={48} />} iconMuted title="No posture you may read" description="Reading a posture needs the Owner, Admin or Reviewer role in a tenant, or a platform role." />
    );
  }
  const tenantId: TenantId | null = scope === PLATFORM_SCOPE ? null : (scope as TenantId);
  const posture = 'value' in store.posture && store.posture.value && store.scope === scope ? store.posture.value : undefined;
  const snapshots = 'value' in store.snapshots && store.snapshots.value ? store.snapshots.value : [];
  const selected = posture?.controls.find((c) => c.id === store.selectedControlId);
  const mayEvaluate = allowed(me, 'posture.snapshot', tenantId);
  const { select } = usePostureStore.getState();
  const incidentClocks = posture?.controls.find((c) => c.id === 'incidents.deadlines');

  let body;
  if (!posture) {
    body =
      store.posture.status === 'error' ? (
        <NonIdealState
          title="Could not load the posture"
          description={
            <p data-testid="posture-error" data-code={store.posture.error.code}>
              <code>{store.posture.error.code}</code> {store.posture.error.message} {adviceFor(store.posture.error.code)}
            </p>
          }
          action={<Button icon={<RefreshIcon />} text="Retry" onClick={() => void store.load(scope)} />}
        />
      ) : (
        <NonIdealState icon={<Spinner size={32} />} title="Evaluating every control from live evidence…" />
      );
  } else if (tab === 'trust') {
    body = <TrustPagePanel scope={scope} tenantId={tenantId} snapshots={snapshots} />;
  } else if (tab === 'sections') {
    body = <ControlsBySection controls={posture.controls} selectedId={store.selectedControlId} onSelect={select} />;
  } else if (tab === 'trends') {
    body = (
      <div className="attest-posture-charts">
        <TrendChart snapshots={snapshots} />
        {incidentClocks ? <ClockChart evidence={incidentClocks.evidence} /> : <p className={Classes.TEXT_MUTED}>No incident deadline control in this scope.</p>}
      </div>
    );
  } else {
    body = <FrameworkView framework={tab} controls={posture.controls} selectedId={store.selectedControlId} onSelect={select} />;
  }

  return (
    <div className="attest-tenants" data-testid="posture-view">
      <div className="attest-toolbar">
        <h1 className={`${Classes.HEADING} attest-view-title`}>Posture</h1>
        <HTMLSelect
          aria-label="Scope"
          value={scope}
          onChange={(e) => {
            const value = e.currentTarget.value;
            if (value !== PLATFORM_SCOPE) useTenantsStore.getState().select(value as TenantId);
            void store.load(value);
          }}
          options={options}
          data-testid="posture-scope"
        />
        {posture && (
          <span className={Classes.TEXT_MUTED} data-testid="posture-evaluated">
            Evaluated <DateTime value={posture.evaluatedAt} />
          </span>
        )}
        {posture && <Counts controls={posture.controls} />}
        <div className="attest-toolbar-spacer" />
        <Button size="small" variant="minimal" icon={<RefreshIcon />} aria-label="Refresh" title="Evaluate again and reload the history" loading={store.posture.status === 'loading'} onClick={() => void store.load(scope)} />
        {mayEvaluate && (
          <Button
            size="small"
            intent="primary"
            icon={<TickIcon />}
            text="Evaluate now"
            title="Evaluate every control and store the snapshot, anchored in the audit log"
            loading={store.evaluating.running}
            onClick={() => void store.evaluate()}
            data-testid="posture-evaluate"
          />
        )}
        <Button size="small" icon={<DownloadIcon />} text="Export evidence" title="CSV of controls, status, evidence and mappings, for auditors" loading={store.exporting.running} onClick={() => void store.exportEvidence()} data-testid="posture-export" />
      </div>
      <PostureCallouts />
      <Tabs id="posture-tabs" selectedTabId={tab} onChange={(id) => setTab(id as TabId)}>
        <Tab id="sections" title="By section" />
        {(['soc2', 'iso27001', 'gdpr'] as const).map((f) => (
          <Tab key={f} id={f} title={FRAMEWORK_LABEL[f]} />
        ))}
        <Tab id="trends" title="Trends" />
        <Tab id="trust" title="Trust page" />
      </Tabs>
      {/* The panel of the selected tab, with the ids Blueprint's tabs point their aria-controls at. */}
      <div className="attest-split" role="tabpanel" id={`bp6-tab-panel_posture-tabs_${tab}`} aria-labelledby={`bp6-tab-title_posture-tabs_${tab}`}>
        <div className="attest-split-main">{body}</div>
        {selected && tab !== 'trends' && tab !== 'trust' && (
          <ControlDetail
            control={selected}
            tenantId={tenantId}
            onClose={() => select(null)}
            planEditor={
              (selected.status === 'fail' || selected.status === 'warn' || selected.remediation) && allowed(me, 'posture.remediate', tenantId) ? (
                <RemediationEditor control={selected} scope={scope} tenantId={tenantId} />
              ) : undefined
            }
          />
        )}
      </div>
    </div>
  );
};

/** What the last Evaluate now or export did, or why it failed. */
const PostureCallouts = () => {
  const { evaluating, exporting, snapshots } = usePostureStore();
  return (
    <>
      {evaluating.result && (
        <Callout compact intent="success" className="attest-inline-callout" data-testid="posture-evaluated-result">
          Snapshot stored and anchored in the audit log as event {evaluating.result.auditSeq} (SHA-256 {evaluating.result.sha256.slice(0, 12)}…).
        </Callout>
      )}
      {evaluating.error && (
        <Callout compact intent="warning" className="attest-inline-callout">
          Evaluate now failed: <code>{evaluating.error.code}</code> {evaluating.error.message} {adviceFor(evaluating.error.code)}
        </Callout>
      )}
      {exporting.result?.state === 'saved' && (
        <Callout compact intent="success" className="attest-inline-callout" data-testid="posture-export-result">
          Exported {exporting.result.controls} controls ({(exporting.result.bytes / 1024).toFixed(1)} KiB) to <code>{exporting.result.path}</code>.
        </Callout>
      )}
      {exporting.error && (
        <Callout compact intent="warning" className="attest-inline-callout">
          Export failed: <code>{exporting.error.code}</code> {exporting.error.message} {adviceFor(exporting.error.code)}
        </Callout>
      )}
      {snapshots.status === 'error' && (
        <Callout compact intent="warning" className="attest-inline-callout">
          Could not load the snapshot history: <code>{snapshots.error.code}</code> {snapshots.error.message}
        </Callout>
      )}
    </>
  );
};

export default PostureView;
