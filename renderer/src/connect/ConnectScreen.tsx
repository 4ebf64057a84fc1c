import { Button, Callout, Card, Classes, Navbar, NavbarGroup, NavbarHeading } from '@blueprintjs/core';
import { EndorsedIcon, ShieldIcon } from '@blueprintjs/icons';
import { useEffect, useRef } from 'react';
import { ConnectChoice } from './ConnectChoice';
import { PinnedService } from './PinnedService';
import { useServiceStore } from './serviceStore';

const ERROR_TITLES: Readonly<Record<string, string>> = {
  certificate_mismatch: 'The key does not match the fingerprint',
  service_unreachable: 'The service could not be reached',
  unexpected_response: 'That is not an Attest service',
  connection_insecure_url: 'Plain HTTP is not allowed',
  connection_unknown_version: 'A newer connection file',
  unsynced_edits: 'Offline edits are not synced yet',
};

const ConnectError = () => {
  const error = useServiceStore((s) => s.error);
  const busy = useServiceStore((s) => s.busy);
  const connect = useServiceStore((s) => s.connect);
  if (!error) return null;
  const unsynced = error.code === 'unsynced_edits';
  return (
    <Callout
      compact
      intent={unsynced ? 'warning' : 'danger'}
      title={ERROR_TITLES[error.code] ?? 'Cannot use this connection'}
      className="attest-signin-callout"
      data-testid="connect-error"
      data-code={error.code}
      role="alert"
    >
      <p>{error.message}</p>
      {unsynced && <Button intent="warning" text="Connect anyway" loading={busy} onClick={() => void connect(true)} data-testid="connect-leave-unsynced" />}
    </Callout>
  );
};

/** What was checked, to confirm: the console saves and uses it only after this. */
const Confirm = () => {
  const checked = useServiceStore((s) => s.checked);
  const busy = useServiceStore((s) => s.busy);
  const connect = useServiceStore((s) => s.connect);
  const back = useServiceStore((s) => s.back);
  // Focus goes to the step, not to Connect: the person reads what was reached before deciding (the check form that had focus is gone).
  const step = useRef<HTMLDivElement>(null);
  useEffect(() => step.current?.focus(), [checked]);
  if (!checked) return null;
  return (
    <div data-testid="connect-confirm" ref={step} tabIndex={-1} role="group" aria-label="Confirm the service" className="attest-connect-confirm">
      <Callout compact intent="success" icon={<ShieldIcon />} className="attest-signin-callout">
        Reached {checked.host}; it holds the key of this fingerprint. The console will refuse any other key at this address.
      </Callout>
      <PinnedService service={checked} />
      <div className="attest-connect-actions">
        <Button text="Back" onClick={back} disabled={busy} data-testid="connect-back" />
        <Button intent="primary" text="Connect" loading={busy} onClick={() => void connect()} data-testid="connect-submit" />
      </div>
    </div>
  );
};

/** Shown when no service is configured yet, and when the person chose to connect to another one. */
export const ConnectScreen = () => {
  const setup = useServiceStore((s) => s.setup);
  const checked = useServiceStore((s) => s.checked);
  const back = useServiceStore((s) => s.back);
  const current = setup?.configured ? setup.service : null;
  return (
    <div className="attest-signin-page" data-testid="connect-screen" data-step={checked ? 'confirm' : 'choose'}>
      <Navbar className="attest-header">
        <NavbarGroup align="start">
          <NavbarHeading className="attest-brand">
            <EndorsedIcon className="attest-brand-icon" />
            <span className="attest-brand-name">Attest</span>
            <span className="attest-brand-tagline">Compliance console</span>
          </NavbarHeading>
        </NavbarGroup>
      </Navbar>
      <main className="attest-signin-main">
        <Card className="attest-signin-card attest-signin-card-wide" elevation={1}>
          <h1 className={`${Classes.HEADING} attest-signin-title`}>Connect to your Attest service</h1>
          <p className={Classes.TEXT_MUTED}>
            Your administrator gives you a connection link or file: the service’s address and the fingerprint of its key. The console checks that key
            before it sends anything.
          </p>
          {current && !checked && (
            <Callout compact className="attest-signin-callout" data-testid="connect-current">
              Connected now to <strong>{current.label ?? current.host}</strong>. Its offline copy and your session with it stay on this computer for when you
              come back.{' '}
              <Button variant="minimal" size="small" text="Stay connected" onClick={back} data-testid="connect-cancel" />
            </Callout>
          )}
          <ConnectError />
          {checked ? <Confirm /> : <ConnectChoice />}
        </Card>
      </main>
    </div>
  );
};

export default ConnectScreen;
