import { TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { CoreError } from '../core-error';
import { CertificateMismatchError } from './certificate-mismatch-error';
import { spkiFingerprintOf } from './spki-fingerprint';

export interface PinnedAgentOptions {
  /** Canonical SPKI SHA-256 pin (64 lowercase hex characters). */
  fingerprint: string;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

/**
 * An undici Agent that trusts exactly one public key. The service's certificate is
 * self-signed, so CA and hostname checks are replaced by the pin; the pin is
 * checked once the handshake completes and before undici gets the socket, so a
 * wrong peer never receives a request byte.
 */
export function createPinnedAgent(options: PinnedAgentOptions): Agent {
  const connectTls = buildConnector({
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
    // A resumed session would skip the certificate exchange; every connection shows its key.
    maxCachedSessions: 0,
    timeout: options.connectTimeoutMs,
  });
  return new Agent({
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    connect: (connectOptions, callback) => {
      connectTls(connectOptions, (error, socket) => {
        if (error !== null) {
          callback(error, null);
          return;
        }
        const origin = `${connectOptions.protocol}//${connectOptions.hostname}:${connectOptions.port}`;
        const refusal = checkPin(socket, options.fingerprint, origin);
        if (refusal) {
          socket.destroy();
          callback(refusal, null);
          return;
        }
        callback(null, socket);
      });
    },
  });
}

function checkPin(socket: unknown, fingerprint: string, origin: string): CoreError | undefined {
  if (!(socket instanceof TLSSocket)) {
    return new CoreError('certificate_mismatch', `Refusing to talk to ${origin} without TLS.`);
  }
  const certificate = socket.getPeerX509Certificate();
  if (!certificate) {
    return new CertificateMismatchError(fingerprint, 'none', origin);
  }
  const presented = spkiFingerprintOf(certificate);
  return presented === fingerprint ? undefined : new CertificateMismatchError(fingerprint, presented, origin);
}
