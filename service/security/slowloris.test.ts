import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSPORT_LIMITS } from '../http/transport-limits';
import { startRealService, type RealService } from '../testing/real-service';
import { dripRequest, endingOf, getStatus } from '../testing/slow-client';

/**
 * Slowloris and its kin: clients that hold a connection open by sending a request
 * too slowly (or not at all). Each is cut off within 10 s of the stall and the
 * service keeps answering everyone else meanwhile.
 */
const CUT_OFF_MS = 10_000;
/** Timers on a loaded test machine fire late; the service does not get this much more. */
const BOUND_MS = CUT_OFF_MS + 1_500;

describe.concurrent('a client that stalls its request', () => {
  let service: RealService;
  beforeAll(async () => {
    service = await startRealService();
  });
  afterAll(() => service.close());

  it('is bounded by limits of at most 10 s', () => {
    const { handshakeTimeoutMs, keepAliveTimeoutMs, headersTimeoutMs, requestTimeoutMs, checkIntervalMs } = TRANSPORT_LIMITS;
    expect(Math.max(handshakeTimeoutMs, keepAliveTimeoutMs + 1_000, headersTimeoutMs + checkIntervalMs, requestTimeoutMs + checkIntervalMs)).toBeLessThanOrEqual(CUT_OFF_MS);
  });

  it('dripping header lines (slowloris) gets 408 within the bound', async () => {
    const ending = await dripRequest(service.url, service.fingerprint, { head: 'GET /v1/health HTTP/1.1\r\nHost: attest\r\n', drip: 'X-Slow: 1\r\n', everyMs: 1_000 });
    expect(ending.status).toBe(408);
    expect(ending.afterMs).toBeLessThan(BOUND_MS);
  });

  it('dripping a body byte by byte gets 408 within the bound', async () => {
    const ending = await dripRequest(service.url, service.fingerprint, {
      head: 'POST /v1/auth/login HTTP/1.1\r\nHost: attest\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
      drip: ' ',
      everyMs: 1_000,
    });
    expect(ending.status).toBe(408);
    expect(ending.afterMs).toBeLessThan(BOUND_MS);
  });

  it('a body that stops arriving is closed within the bound', async () => {
    const ending = await dripRequest(service.url, service.fingerprint, {
      head: 'POST /v1/auth/login HTTP/1.1\r\nHost: attest\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":',
    });
    expect([408, null]).toContain(ending.status);
    expect(ending.afterMs).toBeLessThan(BOUND_MS);
  });

  it('a kept-alive connection that sends no further request is closed within the bound', async () => {
    const ending = await dripRequest(service.url, service.fingerprint, { head: 'GET /v1/health HTTP/1.1\r\nHost: attest\r\n\r\n' });
    expect(ending.status).toBe(200);
    expect(ending.afterMs).toBeLessThan(BOUND_MS);
  });

  it('a TLS handshake never started is closed within the bound', async () => {
    const u = new URL(service.url);
    const socket = connect({ host: '127.0.0.1', port: Number(u.port) });
    const ending = await endingOf(socket, Date.now());
    expect(ending.afterMs).toBeLessThan(BOUND_MS);
  });

  it('while the others stall, other clients are answered at once', async () => {
    await new Promise((r) => setTimeout(r, 3_000));
    const startedAt = Date.now();
    expect(await getStatus(service.url, service.fingerprint, '/v1/health')).toBe(200);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });
});
