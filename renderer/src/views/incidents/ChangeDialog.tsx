import { Callout, Dialog, DialogBody, FormGroup, InputGroup } from '@blueprintjs/core';
import { ConfirmFooter } from '../../components/ConfirmFooter';
import { useState, type FormEvent } from 'react';
import type { Incident, SentNotice } from '../../../../shared/incidents/incident';
import { toIpcError } from '../../platform/ipcError';
import { describeMove, previewChange, type PlannedChange } from './deadlinePreview';
import type { TenantName } from './incidentsModel';

interface Props {
  incident: Incident;
  change: PlannedChange | null;
  sent: readonly SentNotice[];
  tenantName: TenantName;
  /** Journals the change with its reason; rejects with the core's error. */
  onConfirm(change: PlannedChange, reason: string | undefined): Promise<void>;
  onClose(): void;
}

const REASON_LIMIT = 500;

const title = (incident: Incident, change: PlannedChange): string => {
  if (change.kind === 'severity') return `Change severity ${incident.severity} → ${change.to}`;
  if (change.to === 'review_published') return 'Publish the post-incident review';
  return `Change status ${incident.status.replace('_', ' ')} → ${change.to.replace('_', ' ')}`;
};

const Body = ({ incident, change, sent, tenantName, onConfirm, onClose }: Props & { change: PlannedChange }) => {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Previewed at the moment the dialog opened: the figures do not shift under the reader.
  const [at] = useState(() => new Date());
  const preview = previewChange(incident, change, sent, at);
  if (typeof preview === 'string') return <DialogBody>This change cannot apply to the incident as it stands ({preview.replaceAll('_', ' ')}).</DialogBody>;
  const trimmed = reason.trim();
  const needed = preview.reasonRequired !== null;
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (needed && trimmed === '') return setProblem(preview.reasonRequired === 'downgrade' ? 'Say why the severity goes down.' : 'Say why it is resolved with notices unsent.');
    if (trimmed.length > REASON_LIMIT) return setProblem(`Keep the reason under ${REASON_LIMIT} characters.`);
    setBusy(true);
    onConfirm(change, trimmed === '' ? undefined : trimmed).then(onClose, (e: unknown) => {
      setProblem(toIpcError(e).message);
      setBusy(false);
    });
  };
  return (
    <form onSubmit={submit} noValidate data-testid="change-dialog">
      <DialogBody>
        {preview.owed.length > 0 && (
          <Callout intent="warning" compact className="attest-inline-callout" data-testid="change-unsent" title="Required notices are not sent">
            {preview.owed.map((o) => `${o.notice} notice${o.tenantId === null ? '' : ` to ${tenantName(o.tenantId)}`}`).join(', ')}. Send them first, or say why
            it is resolved without them.
          </Callout>
        )}
        <h4 className="attest-change-heading">Deadlines this moves</h4>
        {preview.moves.length === 0 ? (
          <p className="attest-muted" data-testid="change-moves">
            No deadline moves.
          </p>
        ) : (
          <ul className="attest-change-moves" data-testid="change-moves">
            {preview.moves.map((m) => (
              <li key={m.id}>{describeMove(m, at)}</li>
            ))}
          </ul>
        )}
        <FormGroup
          label={needed ? 'Reason (required)' : 'Reason (optional)'}
          labelFor="change-reason"
          helperText={problem ?? 'Kept in the timeline with the change.'}
          intent={problem ? 'danger' : 'none'}
        >
          {/* eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: focus goes to the first field (WAI-ARIA dialog pattern) */}
          <InputGroup id="change-reason" autoFocus value={reason} maxLength={REASON_LIMIT + 1} intent={problem ? 'danger' : 'none'} onChange={(e) => {
            setReason(e.target.value);
            setProblem(null);
          }} />
        </FormGroup>
      </DialogBody>
      <ConfirmFooter onCancel={onClose} busy={busy} confirm={{ text: 'Confirm', intent: needed ? 'warning' : 'primary', testId: 'change-confirm' }} />
    </form>
  );
};

/** Confirms a severity or status change, saying first which deadlines it moves and asking a reason where the rules want one. */
export const ChangeDialog = (props: Props) => (
  <Dialog isOpen={props.change !== null} onClose={props.onClose} title={props.change ? title(props.incident, props.change) : ''} className="attest-change-dialog">
    {props.change && <Body key={`${props.change.kind}-${props.change.to}`} {...props} change={props.change} />}
  </Dialog>
);
