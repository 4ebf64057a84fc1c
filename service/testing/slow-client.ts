/**
 * Test support for transport attacks: a client that writes a request at its own
 * pace on a pinned TLS socket and reports how (and when) the service ended it.
 */
import { once } from 'node:events';
import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { connectPinned } from './pinned-https';

export interface Ending {
  /** The status line's code if the service answered (408 for a timeout), else null: it just closed. */
  readonly status: number | null;
  /** Milliseconds from the first byte written to the connection's close. */
  readonly afterMs: number;
}

/** Resolves when `socket` closes, with what it received first. */
export const endingOf = async (socket: Socket, startedAt: number): Promise<Ending> => {
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  await once(socket, 'close');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1];
  return { status: status ? Number(status) : null, afterMs: Date.now() - startedAt };
};

/**
 * Writes `head` at once, then `drip` every `everyMs` (never finishing the
 * request), until the service closes the connection.
 */
export const dripRequest = async (
  url: string,
  fingerprint: string,
  parts: { head: string; drip?: string; everyMs?: number },
  tlsOptions: ConnectionOptions = {},
): Promise<Ending> => {
  const socket = await connectPinned(url, fingerprint, tlsOptions);
  const startedAt = Date.now();
  const ending = endingOf(socket, startedAt);
  socket.write(parts.head);
  const timer = parts.drip ? setInterval(() => socket.writable && socket.write(parts.drip ?? ''), parts.everyMs ?? 1000) : undefined;
  try {
    return await ending;
  } finally {
    clearInterval(timer);
  }
};

/** One complete GET on a fresh pinned connection; resolves with the status code. */
export const getStatus = async (url: string, fingerprint: string, path: string, tlsOptions: ConnectionOptions = {}): Promise<number | null> => {
  const socket = await connectPinned(url, fingerprint, tlsOptions);
  const ending = endingOf(socket, Date.now());
  socket.write(`GET ${path} HTTP/1.1\r\nHost: attest\r\nConnection: close\r\n\r\n`);
  return (await ending).status;
};
