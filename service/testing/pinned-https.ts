/**
 * A minimal pinned HTTPS client for tests: the TLS handshake completes, the
 * presented certificate's SPKI SHA-256 is compared with the pin, and only then
 * is a single request written on that socket.
 */
import { once } from 'node:events';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { spkiFingerprint } from '../tls/spki-fingerprint';

export interface PinnedResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly protocol: string | null;
  json(): unknown;
}

export class PinMismatchError extends Error {
  override readonly name = 'PinMismatchError';
}

export const connectPinned = async (url: string, fingerprint: string, tlsOptions: ConnectionOptions = {}): Promise<TLSSocket> => {
  const u = new URL(url);
  const socket = connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port), rejectUnauthorized: false, ...tlsOptions });
  await Promise.race([
    once(socket, 'secureConnect'),
    once(socket, 'error').then(([err]) => Promise.reject(err as Error)),
  ]);
  const cert = socket.getPeerX509Certificate();
  const presented = cert ? spkiFingerprint(cert) : '';
  if (presented !== fingerprint) {
    socket.destroy();
    throw new PinMismatchError(`certificate mismatch: pinned ${fingerprint}, presented ${presented}`);
  }
  return socket;
};

export const pinnedRequest = async (
  url: string,
  fingerprint: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<PinnedResponse> => {
  const socket = await connectPinned(url, fingerprint);
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: options.method ?? 'GET',
        headers: { connection: 'close', ...options.headers },
        createConnection: () => socket,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            protocol: socket.getProtocol(),
            json: () => JSON.parse(text) as unknown,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
};
