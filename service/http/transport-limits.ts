import type { Server, Socket } from 'node:net';

/**
 * How long the service waits on a client and how many connections one address
 * may hold: a client that stalls (slowloris headers, a body dripped byte by byte,
 * a handshake never finished) is cut off within 10 s, and one address cannot
 * occupy every socket. Legitimate bodies are at most 64 KiB, so 10 s for a whole
 * request is generous. Answering is bounded more loosely (idleTimeoutMs), so a
 * slow handler is not cut off.
 */
export const TRANSPORT_LIMITS = {
  /** A TLS handshake must finish within this time. */
  handshakeTimeoutMs: 9_000,
  /** A kept-alive connection with no new request for this long (Node adds 1 s) is closed; clients are told (Keep-Alive: timeout=5). */
  keepAliveTimeoutMs: 5_000,
  /**
   * A socket with no traffic either way for this long is closed: a client that stops
   * reading its answer. Longer than the limits above so that a slow handler is not cut off.
   */
  idleTimeoutMs: 30_000,
  /** All request headers must arrive within this time of the request's first byte (else 408)… */
  headersTimeoutMs: 9_000,
  /** …and the whole request, body included, within this time (else 408)… */
  requestTimeoutMs: 9_000,
  /** …as Node checks every this often: a stalled request is cut off within 10 s. */
  checkIntervalMs: 500,
  /** Open connections per remote address; more are closed on accept. */
  maxConnectionsPerAddress: 128,
} as const;

/** Node's http server options for the limits above. */
export const httpServerTimeouts = {
  headersTimeout: TRANSPORT_LIMITS.headersTimeoutMs,
  requestTimeout: TRANSPORT_LIMITS.requestTimeoutMs,
  keepAliveTimeout: TRANSPORT_LIMITS.keepAliveTimeoutMs,
  connectionsCheckingInterval: TRANSPORT_LIMITS.checkIntervalMs,
} as const;

/** Closes, on accept, each connection beyond `max` open ones from the same remote address. */
export const capConnectionsPerAddress = (server: Server, max: number): void => {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= max) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
};
