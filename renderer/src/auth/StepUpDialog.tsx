import { Callout, Classes, Dialog, DialogBody, FormGroup } from '@blueprintjs/core';
import { ConfirmFooter } from '../components/ConfirmFooter';
import { LockIcon } from '@blueprintjs/icons';
import { useState, type FormEvent } from 'react';
import { OneTimeCodeInput } from './OneTimeCodeInput';
import { signInAdvice } from './signInAdvice';
import { useStepUpStore } from './stepUpStore';

const Form = ({ purpose }: { purpose: string }) => {
  const busy = useStepUpStore((s) => s.busy);
  const error = useStepUpStore((s) => s.error);
  const { submit, dismiss } = useStepUpStore.getState();
  const [code, setCode] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (code.length === 6) void submit(code).then(() => setCode(''));
  };
  const advice = error ? signInAdvice(error) : null;
  return (
    <form onSubmit={onSubmit} data-testid="step-up-dialog">
      <DialogBody>
        <p>
          <strong>{purpose}</strong> is a sensitive action. Enter the current code from your authenticator app to confirm it is you; it
          stays confirmed for 5 minutes.
        </p>
        {advice && error && (
          <Callout compact intent="danger" title={advice.title} data-testid="step-up-error" data-code={error.code} className="attest-inline-callout">
            {advice.next}
          </Callout>
        )}
        <FormGroup label="Authenticator code" labelFor="step-up-code" className="attest-otp-group">
          <OneTimeCodeInput value={code} onValueChange={setCode} testId="step-up-code" label="Authenticator code" disabled={busy} />
        </FormGroup>
      </DialogBody>
      <ConfirmFooter onCancel={dismiss} busy={busy} cancelTestId="step-up-cancel" confirm={{ text: 'Confirm', disabled: code.length !== 6, testId: 'step-up-submit' }}>
        <span className={Classes.TEXT_MUTED}>Lost your device? Ask an administrator to reset your MFA.</span>
      </ConfirmFooter>
    </form>
  );
};

/** Mounted once in the shell; opened by withStepUp() whenever the service asks for a fresh code. */
export const StepUpDialog = () => {
  const purpose = useStepUpStore((s) => s.purpose);
  const dismiss = useStepUpStore((s) => s.dismiss);
  return (
    <Dialog
      isOpen={purpose !== null}
      onClose={dismiss}
      title="Confirm with your authenticator"
      icon={<LockIcon />}
      className="attest-step-up"
    >
      {purpose !== null && <Form key={purpose} purpose={purpose} />}
    </Dialog>
  );
};
