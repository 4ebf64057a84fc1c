import { Button, Callout, Card, Classes, FormGroup, InputGroup, NonIdealState, Spinner } from '@blueprintjs/core';
import { EndorsedIcon, EnvelopeIcon } from '@blueprintjs/icons';
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { AppHeader } from '../shell/AppHeader';
import { ConnectionNotice } from '../shell/ConnectionNotice';
import { AcceptInviteStep } from './AcceptInviteStep';
import { useServiceStore } from '../connect/serviceStore';
import { useAuthStore } from './authStore';
import { OneTimeCodeInput } from './OneTimeCodeInput';
import { PasswordInput } from './PasswordInput';
import { RecoveryCodesStep } from './RecoveryCodesStep';
import { signInAdvice } from './signInAdvice';
import { SignInError } from './SignInError';

// The QR code library is only needed by the few who enrol here.
const EnrolStep = lazy(() => import('./EnrolStep'));

const PasswordStep = ({ onAcceptInvite }: { onAcceptInvite(): void }) => {
  const busy = useAuthStore((s) => s.busy);
  const state = useAuthStore((s) => s.state);
  const error = useAuthStore((s) => s.error);
  const login = useAuthStore((s) => s.login);
  const chooseAnother = useServiceStore((s) => s.chooseAnother);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const reason = state?.step === 'signed_out' ? state.reason : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (email && password) void login({ email: email.trim(), password }).then(() => setPassword(''));
  };
  return (
    <form onSubmit={onSubmit} data-testid="sign-in-password-step" aria-label="Sign in">
      <h1 className={`${Classes.HEADING} attest-signin-title`}>Sign in</h1>
      {reason && !error && (
        <Callout compact intent="warning" className="attest-signin-callout" role="alert" data-testid="sign-in-reason" data-code={state?.step === 'signed_out' ? state.code : undefined}>
          {reason}
        </Callout>
      )}
      <SignInError />
      <FormGroup label="Email" labelFor="sign-in-email">
        <InputGroup
          id="sign-in-email"
          type="email"
          // eslint-disable-next-line jsx-a11y/no-autofocus -- kept: the window shows only this form; the one note above it (why you were signed out) is an alert, heard anyway
          autoFocus
          autoComplete="username"
          leftIcon={<EnvelopeIcon />}
          value={email}
          onValueChange={setEmail}
          disabled={busy}
          data-testid="sign-in-email"
        />
      </FormGroup>
      <FormGroup label="Password" labelFor="sign-in-password">
        <PasswordInput id="sign-in-password" autoComplete="current-password" value={password} onValueChange={setPassword} disabled={busy} />
      </FormGroup>
      <Button type="submit" intent="primary" fill text="Continue" loading={busy} disabled={!email || !password} data-testid="sign-in-submit" />
      <div className="attest-signin-links">
        <Button variant="minimal" size="small" text="Accept an invitation" onClick={onAcceptInvite} disabled={busy} data-testid="sign-in-accept-invite" />
        <Button variant="minimal" size="small" text="Another service…" onClick={chooseAnother} disabled={busy} data-testid="sign-in-another-service" />
      </div>
    </form>
  );
};

const CodeStep = ({ email }: { email: string }) => {
  const busy = useAuthStore((s) => s.busy);
  const verify = useAuthStore((s) => s.verify);
  const cancel = useAuthStore((s) => s.cancel);
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const input = useRecovery ? { recoveryCode: recoveryCode.trim() } : { code };
    void verify(input).then(() => {
      const { error } = useAuthStore.getState();
      if (error && signInAdvice(error).clearCode) {
        setCode('');
        setRecoveryCode('');
      }
    });
  };
  const ready = useRecovery ? recoveryCode.trim().length >= 10 : code.length === 6;
  return (
    <form onSubmit={onSubmit} data-testid="sign-in-code-step" aria-label="Second factor">
      <h1 className={`${Classes.HEADING} attest-signin-title`}>{useRecovery ? 'Use a recovery code' : 'Enter your code'}</h1>
      <p className={Classes.TEXT_MUTED}>
        Signing in as <strong data-testid="sign-in-as">{email}</strong>.{' '}
        {useRecovery ? 'Each recovery code works once.' : 'Open your authenticator app and enter the 6-digit code for Attest.'}
      </p>
      <SignInError />
      {useRecovery ? (
        <FormGroup label="Recovery code" labelFor="mfa-recovery-code">
          <InputGroup
            id="mfa-recovery-code"
            // eslint-disable-next-line jsx-a11y/no-autofocus -- kept: the field appears because the person just asked for it (Use a recovery code); it replaces the code field that had focus
            autoFocus
            autoComplete="off"
            spellCheck={false}
            placeholder="xxxxx-xxxxx"
            className="attest-mono"
            value={recoveryCode}
            onValueChange={setRecoveryCode}
            disabled={busy}
            data-testid="mfa-recovery-code"
          />
        </FormGroup>
      ) : (
        <FormGroup label="Authenticator code" labelFor="mfa-code" className="attest-otp-group">
          <OneTimeCodeInput value={code} onValueChange={setCode} testId="mfa-code" label="Authenticator code" disabled={busy} />
        </FormGroup>
      )}
      <Button type="submit" intent="primary" fill text="Sign in" loading={busy} disabled={!ready} data-testid="mfa-submit" />
      <div className="attest-signin-links">
        <Button variant="minimal" size="small" text={useRecovery ? 'Use an authenticator code' : 'Use a recovery code'} onClick={() => setUseRecovery((r) => !r)} data-testid="mfa-toggle-recovery" />
        <Button variant="minimal" size="small" text="Use a different account" onClick={() => void cancel()} disabled={busy} data-testid="sign-in-cancel" />
      </div>
    </form>
  );
};

/** Everything between "not signed in" and the shell: password, second factor, enrolment, recovery codes. */
export const SignInScreen = () => {
  const state = useAuthStore((s) => s.state);
  const recoveryCodes = useAuthStore((s) => s.recoveryCodes);
  const clearError = useAuthStore((s) => s.clearError);
  const [accepting, setAccepting] = useState(false);
  let step;
  if (recoveryCodes) step = <RecoveryCodesStep codes={recoveryCodes} />;
  else if (state === null) step = <NonIdealState icon={<Spinner size={24} />} title="Resuming your session…" />;
  else if (state.step === 'mfa') step = <CodeStep email={state.email} />;
  else if (state.step === 'enrol')
    step = (
      <Suspense fallback={<Spinner size={24} />}>
        <EnrolStep email={state.email} />
      </Suspense>
    );
  else if (accepting) step = <AcceptInviteStep onBack={() => setAccepting(false)} />;
  else
    step = (
      <PasswordStep
        onAcceptInvite={() => {
          clearError();
          setAccepting(true);
        }}
      />
    );

  return (
    <div className="attest-signin-page" data-testid="sign-in-screen" data-step={recoveryCodes ? 'recovery_codes' : accepting && state?.step === 'signed_out' ? 'accept_invite' : (state?.step ?? 'loading')}>
      <AppHeader />
      <main className="attest-signin-main">
        <ConnectionNotice />
        <Card className={`attest-signin-card${recoveryCodes || state?.step === 'enrol' ? ' attest-signin-card-wide' : ''}`} elevation={1}>
          <div className="attest-signin-brand" aria-hidden="true">
            <EndorsedIcon size={20} />
            <span>Attest</span>
          </div>
          {step}
        </Card>
        <p className={`${Classes.TEXT_MUTED} attest-signin-footnote`}>
          Your session is kept in this computer’s keychain and ends after 14 days without use.
        </p>
      </main>
    </div>
  );
};

export default SignInScreen;
