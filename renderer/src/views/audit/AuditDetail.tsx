import { Button, Callout, Classes, Section, SectionCard, Spinner, Tag } from '@blueprintjs/core';
import { CrossIcon, RefreshIcon, TickCircleIcon, WarningSignIcon, ErrorIcon } from '@blueprintjs/icons';
import type { AuditEvent } from '../../../../shared/audit/event';
import type { EventVerification } from '../../../../shared/ipc/audit';
import { adviceFor } from '../../components/errorAdvice';
import { shortHash } from './auditModel';
import { AuditName } from './AuditName';
import { nameActor, nameTarget, type People, type TenantNames } from './auditNames';
import { useAuditStore } from './auditStore';
import { OUTCOME_INTENT } from './AuditTable';
import { DateTime } from '../../components/DateTime';

const Badge = ({ verification }: { verification: EventVerification }) => {
  if (verification.state === 'verified') {
    return (
      <Tag large intent="success" icon={<TickCircleIcon />} data-testid="audit-inclusion-badge" data-state="verified">
        Verified
      </Tag>
    );
  }
  if (verification.state === 'failed') {
    return (
      <Tag large intent="danger" icon={<ErrorIcon />} data-testid="audit-inclusion-badge" data-state="failed">
        Failed
      </Tag>
    );
  }
  return (
    <Tag large intent="warning" icon={<WarningSignIcon />} data-testid="audit-inclusion-badge" data-state="not_covered">
      Not yet covered
    </Tag>
  );
};

const Fields = ({ event, people, tenants }: { event: AuditEvent; people: People; tenants: TenantNames }) => (
  <dl className="attest-fields attest-fields-stacked">
    <dt>Sequence</dt>
    <dd className="attest-mono">{event.seq}</dd>
    <dt>Time</dt>
    <dd>
      <DateTime value={event.at} style="dateTimeSeconds" /> <span className={Classes.TEXT_MUTED}>{event.at}</span>
    </dd>
    <dt>Actor</dt>
    <dd>
      <AuditName named={nameActor(event.actor, people)} /> <span className={`${Classes.TEXT_MUTED} attest-mono`}>{event.actor.type}:{event.actor.id}</span>
    </dd>
    <dt>Action</dt>
    <dd className="attest-mono">{event.action}</dd>
    <dt>Target</dt>
    <dd>
      <AuditName named={nameTarget(event.target, people, tenants, event.tenantId)} /> <span className={`${Classes.TEXT_MUTED} attest-mono`}>{event.target}</span>
    </dd>
    <dt>Outcome</dt>
    <dd>
      <Tag minimal intent={OUTCOME_INTENT[event.outcome]}>
        {event.outcome}
      </Tag>
    </dd>
    <dt>Request</dt>
    <dd className="attest-mono">{event.requestId ?? '—'}</dd>
    <dt>Details</dt>
    <dd>
      <pre className="attest-json">{JSON.stringify(event.details, null, 2)}</pre>
    </dd>
    <dt>Personal data</dt>
    <dd>
      {event.personal ? (
        <pre className="attest-json">{JSON.stringify(event.personal.data, null, 2)}</pre>
      ) : (
        <span className={Classes.TEXT_MUTED}>Erased or not visible to you; its commitment still verifies.</span>
      )}
    </dd>
    <dt>Personal data commitment</dt>
    <dd className="attest-mono" title={event.personalCommitment}>
      {shortHash(event.personalCommitment)}
    </dd>
  </dl>
);

/** The selected event as the core fetched and checked it, with its inclusion proof result. */
export const AuditDetail = ({ fallback, people, tenants }: { fallback: AuditEvent | undefined; people: People; tenants: TenantNames }) => {
  const verification = useAuditStore((s) => s.verification);
  const select = useAuditStore((s) => s.select);
  const selectedIndex = useAuditStore((s) => s.selectedIndex);
  if (selectedIndex === null) return null;
  const checked = verification.status === 'ready' ? verification.value : undefined;
  // Show what the core verified, not the row's copy, once it is there.
  const event = checked?.event ?? fallback;

  return (
    <aside className="attest-detail" aria-label="Event details" data-testid="audit-detail">
      <Section
        compact
        title={event ? `Event ${event.seq}` : 'Event'}
        rightElement={
          <div className="attest-detail-actions">
            {verification.status === 'loading' && <Spinner size={14} aria-label="Checking inclusion proof" />}
            {checked && <Badge verification={checked} />}
            <Button variant="minimal" size="small" icon={<CrossIcon />} aria-label="Close details" title="Close details (Esc in the table)" onClick={() => select(null)} />
          </div>
        }
      >
        <SectionCard>
          {checked?.state === 'verified' && (
            <p className={Classes.TEXT_MUTED} data-testid="audit-inclusion-text">
              Its leaf, recomputed from these fields, is in the signed tree of {checked.treeSize} events (root{' '}
              <span className="attest-mono">{shortHash(checked.rootHash ?? '')}</span>).
            </p>
          )}
          {checked && checked.state !== 'verified' && (
            <Callout compact intent={checked.state === 'failed' ? 'danger' : 'warning'} data-testid="audit-inclusion-text">
              {checked.reason}
            </Callout>
          )}
          {verification.status === 'error' && (
            <Callout compact intent="warning" title="Could not check this event">
              <p>
                <code>{verification.error.code}</code> {verification.error.message}
              </p>
              <p>{adviceFor(verification.error.code)}</p>
              {event && <Button size="small" icon={<RefreshIcon />} text="Check again" onClick={() => select(selectedIndex, event.seq)} />}
            </Callout>
          )}
        </SectionCard>
        <SectionCard>{event ? <Fields event={event} people={people} tenants={tenants} /> : <Spinner size={20} />}</SectionCard>
      </Section>
    </aside>
  );
};
