import { Button, Classes, FormGroup, Spinner } from '@blueprintjs/core';
import { QRCodeSVG } from 'qrcode.react';
import { useEffect, useState, type FormEvent } from 'react';
import { useAuthStore } from './authStore';
import { OneTimeCodeInput } from './OneTimeCodeInput';
import { SignInError } from './SignInError';

/** The base32 secret in groups of four, easier to type into an app by hand. */
const grouped = (secret: string) => secret.replace(/=+$/, '').match(/.{1,4}/g)?.join(' ') ?? secret;

const EnrolStep = ({ email }: { email: string }) => {
  const enrolment = useAuthStore((s) => s.enrolment);
  const busy = useAuthStore((s) => s.busy);
  const error = useAuthStore((s) => s.error);
  const { startEnrolment, completeEnrolment, cancel } = useAuthStore.getState();
  const [code, setCode] = useState('');

  useEffect(() => {
    if (!useAuthStore.getState().enrolment) void useAuthStore.getState().startEnrolment();
  }, []);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (code.length === 6) void completeEnrolment(code).then(() => setCode(''));
  };

  return (
    <form onSubmit={onSubmit} data-testid="enrol-step" aria-label="Set up your authenticator">
      <h1 className={`${Classes.HEADING} attest-signin-title`}>Set up your authenticator</h1>
      <p className={Classes.TEXT_MUTED}>
        <strong>{email}</strong> needs a second factor. Scan the code with an authenticator app (1Password, Google Authenticator,
        Authy…), then enter the 6-digit code it shows.
      </p>
      <SignInError />
      {enrolment ? (
        <div className="attest-enrol">
          <div className="attest-enrol-qr" data-testid="enrol-qr" role="img" aria-label="QR code with your authenticator secret">
            <QRCodeSVG value={enrolment.otpauthUri} size={168} marginSize={2} level="M" title="Authenticator secret for Attest" />
          </div>
          <div className="attest-enrol-manual">
            <FormGroup label="Can’t scan? Enter this key" className="attest-enrol-secret-group">
              <code className="attest-enrol-secret" data-testid="enrol-secret">
                {grouped(enrolment.secret)}
              </code>
              <span className={Classes.TEXT_MUTED}>Time-based, 6 digits, every 30 seconds.</span>
            </FormGroup>
            <FormGroup label="Code from the app" labelFor="enrol-code" className="attest-otp-group">
              <OneTimeCodeInput value={code} onValueChange={setCode} testId="enrol-code" label="Code from the app" disabled={busy} />
            </FormGroup>
          </div>
        </div>
      ) : error ? (
        <Button size="small" text="Try again" onClick={() => void startEnrolment()} />
      ) : (
        <Spinner size={24} aria-label="Preparing your secret" />
      )}
      <Button type="submit" intent="primary" fill text="Turn on and sign in" loading={busy} disabled={!enrolment || code.length !== 6} data-testid="enrol-submit" />
      <div className="attest-signin-links">
        <Button variant="minimal" size="small" text="Cancel" onClick={() => void cancel()} disabled={busy} data-testid="sign-in-cancel" />
      </div>
    </form>
  );
};

export default EnrolStep;
