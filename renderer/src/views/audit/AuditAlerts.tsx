import { Button, Callout, Classes, Collapse, Dialog, DialogBody, FormGroup, TextArea } from '@blueprintjs/core';
import { ConfirmFooter } from '../../components/ConfirmFooter';
import { useState } from 'react';
import type { AuditAlert } from '../../../../shared/ipc/audit';
import { toIpcError } from '../../platform/ipcError';
import { DateTime } from '../../components/DateTime';

const MIN_NOTE = 10;
const TITLES: Record<AuditAlert['code'], string> = {
  audit_integrity_failed: 'Audit log integrity check failed',
  audit_key_changed: 'The service’s audit signing keys changed',
};

const DismissDialog = ({ alert, onClose, onDismiss }: { alert: AuditAlert; onClose(): void; onDismiss(note: string): Promise<void> }) => {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ok = note.trim().length >= MIN_NOTE;
  const submit = async () => {
    if (!ok || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onDismiss(note.trim());
      onClose();
    } catch (e) {
      const { code, message } = toIpcError(e);
      setError(`${code}: ${message}`);
      setBusy(false);
    }
  };
  return (
    <Dialog isOpen title="Dismiss integrity alert" onClose={onClose} canOutsideClickClose={false} data-testid="audit-dismiss-dialog">
      <DialogBody>
        <p>{alert.message}</p>
        <FormGroup
          label="Audit note"
          labelFor="audit-dismiss-note"
          helperText={`Required (at least ${MIN_NOTE} characters): what you checked and why this alert can be closed. The note is kept with the alert.`}
          intent={error ? 'danger' : 'none'}
        >
          <TextArea
            id="audit-dismiss-note"
            fill
            // eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: focus goes to the first field (WAI-ARIA dialog pattern)
            autoFocus
            rows={4}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void submit();
            }}
            data-testid="audit-dismiss-note"
          />
        </FormGroup>
        {error && (
          <Callout compact intent="danger">
            {error}
          </Callout>
        )}
      </DialogBody>
      <ConfirmFooter onCancel={onClose} busy={busy} confirm={{ text: 'Dismiss with note', intent: 'danger', disabled: !ok, onConfirm: () => void submit(), testId: 'audit-dismiss-confirm' }}>
        <span className={Classes.TEXT_MUTED}>Ctrl+Enter to confirm</span>
      </ConfirmFooter>
    </Dialog>
  );
};

/** Open alerts as red banners; each one goes away only with a note. */
export const AuditAlerts = ({
  alerts,
  onDismiss,
  onShowEvent,
}: {
  alerts: readonly AuditAlert[];
  onDismiss(alertId: string, note: string): Promise<void>;
  onShowEvent(seq: number): void;
}) => {
  const [dismissing, setDismissing] = useState<AuditAlert | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const open = alerts.filter((a) => a.dismissal === null);
  const dismissed = alerts.filter((a) => a.dismissal !== null);
  return (
    <>
      {dismissed.length > 0 && (
        <div className="attest-alert-history" data-testid="audit-alert-history">
          <Button size="small" variant="minimal" text={`${historyOpen ? 'Hide' : 'Show'} ${dismissed.length} dismissed alert${dismissed.length > 1 ? 's' : ''}`} onClick={() => setHistoryOpen((v) => !v)} />
          <Collapse isOpen={historyOpen}>
            <ul>
              {dismissed.map((a) => (
                <li key={a.id}>
                  <span className={Classes.TEXT_MUTED}><DateTime value={a.raisedAt} /></span> {a.message}
                  <br />
                  <span className={Classes.TEXT_MUTED}>Dismissed <DateTime value={a.dismissal!.at} /> with the note:</span> “{a.dismissal!.note}”
                </li>
              ))}
            </ul>
          </Collapse>
        </div>
      )}
      {open.map((alert) => (
        <Callout key={alert.id} intent="danger" title={TITLES[alert.code]} className="attest-inline-callout" role="alert" data-testid="audit-alert" data-code={alert.code}>
          <p>
            {alert.message} <span className={Classes.TEXT_MUTED}>Raised <DateTime value={alert.raisedAt} />.</span>
          </p>
          <p>
            Treat the log as untrustworthy until this is explained: compare with an exported copy or the service’s own
            <code> attest-service audit verify</code>, and open an incident if events were altered.
          </p>
          <div className="attest-alert-actions">
            {alert.firstBadSeq !== null && <Button size="small" text={`Show event ${alert.firstBadSeq}`} onClick={() => onShowEvent(alert.firstBadSeq!)} />}
            <Button size="small" intent="danger" variant="outlined" text="Dismiss with note…" onClick={() => setDismissing(alert)} data-testid="audit-alert-dismiss" />
          </div>
        </Callout>
      ))}
      {dismissing && <DismissDialog alert={dismissing} onClose={() => setDismissing(null)} onDismiss={(note) => onDismiss(dismissing.id, note)} />}
    </>
  );
};
