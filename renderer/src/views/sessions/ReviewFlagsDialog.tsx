import { Callout, Classes, Dialog, DialogBody, FormGroup, Radio, RadioGroup, TextArea } from '@blueprintjs/core';
import { ConfirmFooter } from '../../components/ConfirmFooter';
import { useState } from 'react';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { FlagReviewOutcome, SessionSummary } from '../../../../shared/sessions/schemas';
import { adviceFor } from '../../components/errorAdvice';
import { toIpcError } from '../../platform/ipcError';
import { FLAG_MEANINGS } from './deviceModel';

/**
 * Reviews a flagged sign-in: expected, or suspicious (which ends the session at
 * once). Stays open with the error when the review fails (a dismissed step-up included).
 */
export const ReviewFlagsDialog = ({
  session,
  onReview,
  onClose,
}: {
  session: SessionSummary | null;
  onReview(session: SessionSummary, outcome: FlagReviewOutcome, note: string): Promise<string>;
  onClose(outcome: string | null): void;
}) => {
  const [outcome, setOutcome] = useState<FlagReviewOutcome | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const close = (done: string | null) => {
    setOutcome(null);
    setNote('');
    setBusy(false);
    setError(null);
    onClose(done);
  };
  const who = session ? session.displayName || session.email : '';
  const submit = () => {
    if (!session || !outcome) return;
    setBusy(true);
    setError(null);
    onReview(session, outcome, note.trim()).then(close, (e: unknown) => {
      setError(toIpcError(e));
      setBusy(false);
    });
  };
  return (
    <Dialog isOpen={session !== null} title={`Review the sign-in of ${who}`} onClose={() => !busy && close(null)} canEscapeKeyClose={!busy}>
      <DialogBody>
        <div data-testid="review-flags">
          <p>
            {session?.flags.map((f) => FLAG_MEANINGS[f].label).join(', ')}: {session?.userAgent ?? 'Unknown device'} from {session?.ip ?? 'an unknown address'}.
          </p>
          <RadioGroup
            label="Was this sign-in expected?"
            selectedValue={outcome ?? undefined}
            onChange={(e) => setOutcome(e.currentTarget.value as FlagReviewOutcome)}
          >
            <Radio value="expected" label="Expected: the person confirmed it" data-testid="review-expected" />
            <Radio value="suspicious" label="Suspicious: end this session now" data-testid="review-suspicious" />
          </RadioGroup>
          <FormGroup label="Note (optional)" labelFor="review-note" helperText="Kept with the audit event; it can be erased later.">
            <TextArea id="review-note" fill maxLength={1000} value={note} onChange={(e) => setNote(e.currentTarget.value)} data-testid="review-note" />
          </FormGroup>
          {error && (
            <Callout compact intent="danger" data-testid="review-error" data-code={error.code}>
              {error.code === 'step_up_required' ? 'This needs a current authenticator code; nothing was done.' : error.message} {error.code !== 'step_up_required' && adviceFor(error.code)}
            </Callout>
          )}
        </div>
      </DialogBody>
      <ConfirmFooter
        onCancel={() => close(null)}
        busy={busy}
        confirm={{
          text: outcome === 'suspicious' ? 'Mark suspicious and end session' : 'Mark reviewed',
          intent: outcome === 'suspicious' ? 'danger' : 'primary',
          disabled: !outcome,
          onConfirm: submit,
          testId: 'review-submit',
        }}
      >
        <span className={Classes.TEXT_MUTED}>Needs a current authenticator code.</span>
      </ConfirmFooter>
    </Dialog>
  );
};
