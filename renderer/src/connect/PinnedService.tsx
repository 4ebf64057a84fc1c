import { Classes, HTMLTable } from '@blueprintjs/core';
import { groupFingerprint } from '../../../shared/connection/connection-file';
import type { PinnedService as Pinned } from '../../../shared/ipc/service-connection';

const REGION_NAMES: Readonly<Record<string, string>> = { eu: 'European Union', us: 'United States' };

/** What the console reached and pinned: the host and the key's fingerprint, grouped for reading aloud. */
export const PinnedService = ({ service }: { service: Pinned }) => (
  <HTMLTable compact className="attest-pinned-service" data-testid="connect-pinned">
    <tbody>
      {service.label !== undefined && (
        <tr>
          <th scope="row">Service</th>
          <td data-testid="connect-pinned-label">{service.label}</td>
        </tr>
      )}
      <tr>
        <th scope="row">Address</th>
        <td data-testid="connect-pinned-host">{service.host}</td>
      </tr>
      {service.region !== undefined && (
        <tr>
          <th scope="row">Region</th>
          <td>{REGION_NAMES[service.region] ?? service.region}</td>
        </tr>
      )}
      <tr>
        <th scope="row">Key fingerprint</th>
        <td>
          <code className="attest-mono attest-pinned-fingerprint" data-testid="connect-pinned-fingerprint">
            {groupFingerprint(service.fingerprint)}
          </code>
          <div className={Classes.TEXT_MUTED}>SHA-256 of the certificate’s public key. Compare it with what your administrator gave you.</div>
        </td>
      </tr>
    </tbody>
  </HTMLTable>
);
