import { Button, Callout, type Intent } from '@blueprintjs/core';
import { LogInIcon, OfflineIcon, RefreshIcon } from '@blueprintjs/icons';
import type { ReactElement, ReactNode } from 'react';
import { CertificateProblemCallout } from './CertificateProblemCallout';
import { useConnectionStore } from './connectionStore';

interface NoticeProps {
  state: string;
  intent: Intent;
  icon: ReactElement;
  title: string;
  children: ReactNode;
  retry?: { label: string; retrying: boolean; onRetry(): void };
}

const Notice = ({ state, intent, icon, title, children, retry }: NoticeProps) => (
  <Callout
    intent={intent}
    icon={icon}
    title={title}
    role="status"
    className="attest-notice"
    data-testid="connection-notice"
    data-state={state}
  >
    {children}
    {retry && (
      <Button size="small" icon={<RefreshIcon />} text={retry.label} loading={retry.retrying} onClick={retry.onRetry} />
    )}
  </Callout>
);

/** Above every view: what is wrong with the connection, and what to do about it. Nothing when online. */
export const ConnectionNotice = () => {
  const display = useConnectionStore((s) => s.display);
  const status = useConnectionStore((s) => s.status);
  const transport = useConnectionStore((s) => s.transport);
  const retrying = useConnectionStore((s) => s.retrying);
  const retry = useConnectionStore((s) => s.retry);
  const onRetry = () => void retry();

  if (display.source === 'console') {
    if (transport?.kind === 'missing_secret' || transport?.kind === 'rejected') {
      return (
        <Notice state="console-unauthorised" intent="warning" icon={<OfflineIcon />} title="Not connected to the console core">
          <p>{display.message}</p>
          <p>
            Open the console from the address printed by <code>npm start</code> or <code>npm run console:web</code>. That
            address carries a one-time launch key, which the page removes from the address bar once it has read it.
          </p>
        </Notice>
      );
    }
    if (transport?.kind === 'reconnecting') {
      return (
        <Notice
          state="console-reconnecting"
          intent="none"
          icon={<OfflineIcon />}
          title="Reconnecting to the console core"
          retry={{ label: 'Retry now', retrying: false, onRetry }}
        >
          <p>{display.message} If the console process was stopped, start it again.</p>
        </Notice>
      );
    }
    return null;
  }

  if (!status) return null;
  switch (status.state) {
    case 'certificate_problem':
      return <CertificateProblemCallout status={status} retrying={retrying} onRetry={onRetry} />;
    case 'offline':
      return (
        <Notice
          state="offline"
          intent="none"
          icon={<OfflineIcon />}
          title="The service is not reachable"
          retry={{ label: 'Retry now', retrying, onRetry }}
        >
          <p>{display.message}</p>
          <p>
            {status.message
              ? 'The console keeps checking and reconnects on its own.'
              : 'Check your network or VPN and that the service is running. The console keeps checking and reconnects on its own.'}
          </p>
        </Notice>
      );
    case 'signed_out':
      return (
        <Notice
          state="signed_out"
          intent="primary"
          icon={<LogInIcon />}
          title="Signed out"
          retry={{ label: 'Check again', retrying, onRetry }}
        >
          <p>{display.message}</p>
          {!status.message && (
            <p>
              Sign in again to continue. Until sign-in arrives in the console, start it with an operator token:{' '}
              <code>npm start</code> stores the demo token in your keychain.
            </p>
          )}
        </Notice>
      );
    default:
      return null;
  }
};
