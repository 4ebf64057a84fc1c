import { Button, Callout, Section, SectionCard, Tag } from '@blueprintjs/core';
import { ArrowRightIcon, CrossIcon } from '@blueprintjs/icons';
import type { ControlResult } from '../../../../shared/posture/api';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { DateTime } from '../../components/DateTime';
import { drillDownOf } from './drillDownModel';
import { MissedIncidents } from './MissedIncidents';
import { openDrillDown } from './openDrillDown';
import { criterionLabel, evidenceRows, FRAMEWORK_LABEL, STATUS_INTENT, STATUS_LABEL } from './postureModel';
import type { ReactNode } from 'react';
import { REMEDIATION_STATUS_LABEL } from './remediationModel';

const FRAMEWORKS = ['soc2', 'iso27001', 'gdpr'] as const;

const Remediation = ({ control }: { control: ControlResult }) => {
  const plan = control.remediation;
  if (!plan) {
    return control.status === 'fail' || control.status === 'warn' ? <Callout compact intent="warning">No remediation plan yet.</Callout> : null;
  }
  return (
    <dl className="attest-fields" data-testid="posture-remediation">
      <dt>Target date</dt>
      <dd>
        <span data-testid="posture-remediation-target">{plan.targetDate}</span> {plan.overdue && <Tag intent="danger" minimal>Overdue</Tag>}
      </dd>
      <dt>Status</dt>
      <dd data-testid="posture-remediation-status">{REMEDIATION_STATUS_LABEL[plan.status]}</dd>
      <dt>Owner</dt>
      <dd>{plan.ownerAssigned ? 'Assigned' : <Tag intent="warning" minimal multiline>No owner who can act</Tag>}</dd>
      <dt>Compensating controls</dt>
      <dd>{plan.compensatingControls || '—'}</dd>
      <dt>Updated</dt>
      <dd>
        <DateTime value={plan.updatedAt} />
      </dd>
    </dl>
  );
};

/** One control: its evidence figures, its mappings, its plan, and the way to the evidence behind it. */
export const ControlDetail = ({ control, tenantId, onClose, planEditor }: { control: ControlResult; tenantId: TenantId | null; onClose(): void; planEditor?: ReactNode }) => {
  const drill = drillDownOf(control, tenantId === null);
  return (
    <aside className="attest-detail" data-testid="posture-control-detail" data-control={control.id} aria-label={`Control ${control.title}`}>
      <Section compact>
        <SectionCard className="attest-detail-head">
          <div className="attest-detail-title">
            <h2 className="bp6-heading">{control.title}</h2>
            <Button variant="minimal" size="small" icon={<CrossIcon />} aria-label="Close" onClick={onClose} />
          </div>
          <Tag intent={STATUS_INTENT[control.status]} data-testid="posture-detail-status">
            {STATUS_LABEL[control.status]}
          </Tag>{' '}
          {control.section} · <span className="attest-mono">{control.id}</span>
        </SectionCard>
        <SectionCard>
          <h3 className="bp6-heading">Evidence</h3>
          <dl className="attest-fields" data-testid="posture-evidence">
            {evidenceRows(control.evidence).map((row) => (
              <div key={row.key} style={{ display: 'contents' }}>
                <dt>{row.label}</dt>
                <dd>{row.value}</dd>
              </div>
            ))}
          </dl>
          {drill && (
            <Button size="small" icon={<ArrowRightIcon />} text={drill.label} onClick={() => openDrillDown(drill, tenantId)} data-testid="posture-drill-down" />
          )}
          {control.id === 'incidents.deadlines' && <MissedIncidents tenantId={tenantId} />}
        </SectionCard>
        <SectionCard>
          <h3 className="bp6-heading">Mappings</h3>
          <dl className="attest-fields">
            {FRAMEWORKS.map((f) => (
              <div key={f} style={{ display: 'contents' }}>
                <dt>{FRAMEWORK_LABEL[f]}</dt>
                <dd>{control.mappings[f].map((c) => criterionLabel(f, c)).join(', ') || '—'}</dd>
              </div>
            ))}
          </dl>
        </SectionCard>
        <SectionCard>
          <h3 className="bp6-heading">Remediation</h3>
          <Remediation control={control} />
          {planEditor}
        </SectionCard>
      </Section>
    </aside>
  );
};
