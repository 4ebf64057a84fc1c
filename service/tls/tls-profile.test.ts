import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPinned } from '../testing/pinned-https';
import { startRealService, type RealService } from '../testing/real-service';
import { endingOf } from '../testing/slow-client';
import { selectAlpn } from './tls-profile';

describe('ALPN selection', () => {
  it('prefers http/1.1, accepts http/1.0 alone, refuses protocols the service does not speak', () => {
    expect(selectAlpn({ protocols: ['h2', 'http/1.1', 'http/1.0'] })).toBe('http/1.1');
    expect(selectAlpn({ protocols: ['http/1.0'] })).toBe('http/1.0');
    expect(selectAlpn({ protocols: ['h2'] })).toBeUndefined();
  });
});

describe('the TLS profile of the running service', () => {
  let service: RealService;
  beforeAll(async () => {
    service = await startRealService();
  });
  afterAll(() => service.close());

  it('serves a client that offers only ALPN http/1.0', async () => {
    const socket = await connectPinned(service.url, service.fingerprint, { ALPNProtocols: ['http/1.0'] });
    expect(socket.alpnProtocol).toBe('http/1.0');
    const ending = endingOf(socket, Date.now());
    socket.write('GET /v1/health HTTP/1.0\r\nHost: attest\r\n\r\n');
    expect((await ending).status).toBe(200);
  });

  it('negotiates http/1.1 when offered with h2', async () => {
    const socket = await connectPinned(service.url, service.fingerprint, { ALPNProtocols: ['h2', 'http/1.1'] });
    expect(socket.alpnProtocol).toBe('http/1.1');
    socket.destroy();
  });

  it('refuses a client that offers only h2, or only CBC suites, or only TLS 1.1', async () => {
    await expect(connectPinned(service.url, service.fingerprint, { ALPNProtocols: ['h2'] })).rejects.toThrow(/no application protocol/);
    await expect(connectPinned(service.url, service.fingerprint, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA' })).rejects.toThrow(
      /handshake failure/,
    );
    await expect(connectPinned(service.url, service.fingerprint, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-CCM8:ECDHE-ECDSA-ARIA128-GCM-SHA256' })).rejects.toThrow(
      /handshake failure/,
    );
    await expect(connectPinned(service.url, service.fingerprint, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' })).rejects.toThrow();
  });
});
