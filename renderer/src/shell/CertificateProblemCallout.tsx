import { Button, Callout } from '@blueprintjs/core';
import { ErrorIcon, RefreshIcon } from '@blueprintjs/icons';
import type { ConnectionStatus } from '../../../shared/ipc/contract';

interface Props {
  status: ConnectionStatus;
  retrying: boolean;
  onRetry(): void;
}

/**
 * Deliberately without a close button: a certificate that does not match the pin
 * may mean the connection is being intercepted, so the warning stays until the
 * service presents the pinned key again.
 */
export const CertificateProblemCallout = ({ status, retrying, onRetry }: Props) => (
  <Callout
    intent="danger"
    icon={<ErrorIcon />}
    title="The service’s certificate does not match the pinned fingerprint"
    role="alert"
    className="attest-notice"
    data-testid="certificate-problem"
  >
    <p>
      The service at <span className="attest-mono">{status.serviceUrl}</span> presented a certificate whose public key
      differs from the one this console was set up to trust, so the console refused the connection. Either the
      service’s key was replaced, or something between you and the service is intercepting the connection.
    </p>
    <dl className="attest-fields attest-fingerprints">
      <dt>Expected (pinned)</dt>
      <dd className="attest-mono" data-testid="fingerprint-expected">
        {status.expectedFingerprint ?? 'not reported'}
      </dd>
      <dt>Presented</dt>
      <dd className="attest-mono" data-testid="fingerprint-presented">
        {status.presentedFingerprint ?? 'not reported'}
      </dd>
    </dl>
    <p className="attest-notice-heading">What to do next</p>
    <ol className="attest-steps">
      <li>Do not work around this warning or change the pinned fingerprint yourself.</li>
      <li>
        Read both fingerprints to your administrator over a channel you already trust (in person or by phone) and ask
        whether the service’s key was changed.
      </li>
      <li>
        If they confirm a new key, they give you its fingerprint to pin. If not, report a possible interception to your
        security team.
      </li>
    </ol>
    <Button size="small" icon={<RefreshIcon />} text="Check again" loading={retrying} onClick={onRetry} />
  </Callout>
);
