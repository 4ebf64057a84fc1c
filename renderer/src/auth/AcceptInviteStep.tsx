import { Button, Classes, FormGroup, InputGroup } from '@blueprintjs/core';
import { EnvelopeIcon, PersonIcon } from '@blueprintjs/icons';
import { useState, type FormEvent } from 'react';
import { acceptFormReady, inviteTokenProblem, newPasswordAdvice } from './acceptInviteModel';
import { useAuthStore } from './authStore';
import { InviteTokenField } from './InviteTokenField';
import { PasswordInput } from './PasswordInput';
import { SignInError } from './SignInError';

/**
 * The sign-in screen's "Accept an invitation": a new account pastes the token it was
 * given, sets its password (the policy's advice shown while typing) and continues into
 * the usual sign-in (enrolment where MFA is required). The token and password go to the
 * core, which hands them to the service and keeps neither.
 */
export const AcceptInviteStep = ({ onBack }: { onBack(): void }) => {
  const busy = useAuthStore((s) => s.busy);
  const acceptInvite = useAuthStore((s) => s.acceptInvite);
  const clearError = useAuthStore((s) => s.clearError);
  const [token, setToken] = useState('');
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const tokenProblem = inviteTokenProblem(token);
  const advice = newPasswordAdvice(password, confirm, email.trim());
  const ready = acceptFormReady({ token, email, password, confirm });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    const name = displayName.trim();
    void acceptInvite({ token: token.trim(), email: email.trim(), password, ...(name && { displayName: name }) }).then(() => {
      setPassword('');
      setConfirm('');
    });
  };
  const back = () => {
    clearError();
    onBack();
  };
  return (
    <form onSubmit={onSubmit} data-testid="accept-invite-step" aria-label="Accept an invitation">
      <h1 className={`${Classes.HEADING} attest-signin-title`}>Accept an invitation</h1>
      <p className={Classes.TEXT_MUTED}>Paste the token you were given and choose a password. You set up your authenticator right after.</p>
      <SignInError />
      <InviteTokenField id="accept-token" label="Invitation token" value={token} onChange={setToken} problem={tokenProblem ?? null} disabled={busy} />
      <FormGroup label="Email the invitation was sent to" labelFor="accept-email">
        <InputGroup id="accept-email" type="email" autoComplete="username" leftIcon={<EnvelopeIcon />} value={email} onValueChange={setEmail} disabled={busy} data-testid="accept-email" />
      </FormGroup>
      <FormGroup label="Your name" labelFor="accept-name" labelInfo="(optional)">
        <InputGroup id="accept-name" autoComplete="name" leftIcon={<PersonIcon />} value={displayName} onValueChange={setDisplayName} disabled={busy} data-testid="accept-name" />
      </FormGroup>
      <FormGroup
        label="New password"
        labelFor="accept-password"
        intent={advice.problems.length > 0 ? 'warning' : 'none'}
        helperText={
          <span data-testid="accept-password-advice">{advice.problems.length > 0 ? advice.problems.join(' ') : 'At least 12 characters, not a common password and not your email.'}</span>
        }
      >
        <PasswordInput id="accept-password" autoComplete="new-password" value={password} onValueChange={setPassword} disabled={busy} />
      </FormGroup>
      <FormGroup label="Repeat the password" labelFor="accept-confirm" intent={advice.mismatch ? 'warning' : 'none'} helperText={advice.mismatch ? 'The two passwords differ.' : undefined}>
        <PasswordInput id="accept-confirm" autoComplete="new-password" value={confirm} onValueChange={setConfirm} disabled={busy} />
      </FormGroup>
      <Button type="submit" intent="primary" fill text="Accept and continue" loading={busy} disabled={!ready} data-testid="accept-submit" />
      <div className="attest-signin-links">
        <Button variant="minimal" size="small" text="Back to sign in" onClick={back} disabled={busy} data-testid="accept-back" />
      </div>
    </form>
  );
};
